#include "systems/copilot/conversation_store.h"

#include <random>

#include "core/error.h"

namespace futureim::systems::copilot {

namespace {

// 16 random bytes as hex: an identifier nobody can guess.
std::string NewConversationId() {
  std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 4; ++i) {
    uint32_t word = device();
    for (int k = 0; k < 8; ++k, word >>= 4) id.push_back(kHex[word & 15]);
  }
  return id;
}

nlohmann::json ParseObject(const std::string& text) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  return json.is_object() ? json : nlohmann::json::object();
}

}  // namespace

ConversationStore::ConversationStore(const std::filesystem::path& file)
    : db_(metadata::SqliteDatabase::Open(file)) {}

Conversation ConversationStore::Create(const std::string& user_id, const nlohmann::json& metadata,
                                       int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Conversation conversation{NewConversationId(),
                            user_id,
                            metadata.is_object() ? metadata : nlohmann::json::object(),
                            now_ms,
                            now_ms,
                            {}};
  auto insert = db_.Prepare(
      "INSERT INTO copilot_conversations (id, user_id, metadata, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?)");
  insert.Bind(1, conversation.id).Bind(2, user_id).Bind(3, conversation.metadata.dump());
  insert.Bind(4, now_ms).Bind(5, now_ms);
  insert.Step();
  return conversation;
}

std::vector<Conversation> ConversationStore::List(const std::string& user_id, int64_t limit) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(
      "SELECT id, metadata, created_at, updated_at FROM copilot_conversations WHERE user_id = ? "
      "ORDER BY updated_at DESC, id LIMIT ?");
  select.Bind(1, user_id).Bind(2, limit);
  std::vector<Conversation> out;
  while (select.Step()) {
    out.push_back({select.GetText(0),
                   user_id,
                   ParseObject(select.GetText(1)),
                   select.GetInt(2),
                   select.GetInt(3),
                   {}});
  }
  return out;
}

ConversationAccess ConversationStore::Owner(const std::string& id, const std::string& user_id) {
  auto select = db_.Prepare("SELECT user_id FROM copilot_conversations WHERE id = ?");
  select.Bind(1, id);
  if (!select.Step()) return ConversationAccess::kMissing;
  return select.GetText(0) == user_id ? ConversationAccess::kFound : ConversationAccess::kNotOwner;
}

ConversationAccess ConversationStore::Get(const std::string& id, const std::string& user_id,
                                          Conversation* out) {
  std::lock_guard lock(mutex_);
  const auto access = Owner(id, user_id);
  if (access != ConversationAccess::kFound) return access;
  auto select = db_.Prepare(
      "SELECT metadata, created_at, updated_at FROM copilot_conversations WHERE id = ?");
  select.Bind(1, id);
  select.Step();
  *out = {id, user_id, ParseObject(select.GetText(0)), select.GetInt(1), select.GetInt(2), {}};
  auto messages = db_.Prepare(
      "SELECT role, content, coalesce(kind, ''), coalesce(sql_text, ''), created_at FROM "
      "copilot_messages WHERE conversation_id = ? ORDER BY id");
  messages.Bind(1, id);
  while (messages.Step()) {
    out->messages.push_back({messages.GetText(0), messages.GetText(1), messages.GetText(2),
                             messages.GetText(3), messages.GetInt(4)});
  }
  return access;
}

ConversationAccess ConversationStore::Delete(const std::string& id, const std::string& user_id) {
  std::lock_guard lock(mutex_);
  const auto access = Owner(id, user_id);
  if (access != ConversationAccess::kFound) return access;
  auto remove = db_.Prepare("DELETE FROM copilot_conversations WHERE id = ? AND user_id = ?");
  remove.Bind(1, id).Bind(2, user_id);
  remove.Step();
  return access;
}

void ConversationStore::AddExchange(const std::string& id, const std::string& question,
                                    const CopilotReply& reply, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  db_.Execute("BEGIN IMMEDIATE");
  try {
    auto insert = db_.Prepare(
        "INSERT INTO copilot_messages (conversation_id, role, content, kind, sql_text, plan, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.Bind(1, id).Bind(2, "user").Bind(3, question).BindNull(4).BindNull(5).BindNull(6);
    insert.Bind(7, now_ms);
    insert.Step();
    insert.Reset();
    insert.Bind(1, id).Bind(2, "assistant").Bind(3, reply.text).Bind(4, reply.kind);
    if (reply.sql.empty())
      insert.BindNull(5);
    else
      insert.Bind(5, reply.sql);
    if (reply.plan)
      insert.Bind(6, reply.plan->ToJson().dump());
    else
      insert.BindNull(6);
    insert.Bind(7, now_ms);
    insert.Step();
    auto touch = db_.Prepare("UPDATE copilot_conversations SET updated_at = ? WHERE id = ?");
    touch.Bind(1, now_ms).Bind(2, id);
    touch.Step();
    db_.Execute("COMMIT");
  } catch (...) {
    db_.Execute("ROLLBACK");
    throw;
  }
}

std::optional<SemanticPlan> ConversationStore::LastPlan(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(
      "SELECT plan FROM copilot_messages WHERE conversation_id = ? AND role = 'assistant' AND "
      "plan IS NOT NULL ORDER BY id DESC LIMIT 1");
  select.Bind(1, id);
  if (!select.Step()) return std::nullopt;
  try {
    return SemanticPlan::FromJson(nlohmann::json::parse(select.GetText(0)));
  } catch (const std::exception&) {
    return std::nullopt;  // a plan from an older version: start afresh
  }
}

}  // namespace futureim::systems::copilot
