#pragma once

// The copilot's conversations and messages in the metadata database
// (migration 3: copilot_conversations, copilot_messages). Every read and
// write names the user: a conversation is only ever visible to its owner,
// and the store says "not yours" apart from "does not exist" so the API can
// answer 403 and 404 as SPEC.md §4 asks.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metadata/sqlite_database.h"
#include "systems/copilot/retail_copilot.h"

namespace futureim::systems::copilot {

struct ConversationMessage {
  std::string role;  // user, assistant
  std::string content;
  std::string kind;  // assistant: answer, clarification, refusal
  std::string sql;
  int64_t created_at_ms = 0;
};

struct Conversation {
  std::string id;
  std::string user_id;
  nlohmann::json metadata = nlohmann::json::object();
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::vector<ConversationMessage> messages;  // oldest first (empty in listings)
};

enum class ConversationAccess { kFound, kMissing, kNotOwner };

class ConversationStore {
 public:
  // Opens its own connection to the metadata database at `file` (already
  // migrated by metadata::MetadataDb::Open).
  explicit ConversationStore(const std::filesystem::path& file);

  Conversation Create(const std::string& user_id, const nlohmann::json& metadata, int64_t now_ms);
  // The user's conversations, most recently updated first.
  std::vector<Conversation> List(const std::string& user_id, int64_t limit);
  // kFound fills `out` (with its messages).
  ConversationAccess Get(const std::string& id, const std::string& user_id, Conversation* out);
  ConversationAccess Delete(const std::string& id, const std::string& user_id);
  // Appends the question and the reply; the caller has checked ownership.
  void AddExchange(const std::string& id, const std::string& question, const CopilotReply& reply,
                   int64_t now_ms);
  // The plan of the conversation's latest answer that has one.
  std::optional<SemanticPlan> LastPlan(const std::string& id);

 private:
  ConversationAccess Owner(const std::string& id, const std::string& user_id);

  std::mutex mutex_;  // one connection, used by one request at a time
  metadata::SqliteDatabase db_;
};

}  // namespace futureim::systems::copilot
