#include "core/key_store.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/error.h"

namespace futureim::core {
namespace {

std::string SystemError(const std::string& what, const std::filesystem::path& file) {
  return what + " " + file.string() + ": " + std::strerror(errno);
}

void WriteAll(int fd, std::string_view data, const std::filesystem::path& file) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throw Error(SystemError("cannot write key store", file));
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
}

}  // namespace

std::string GenerateKey() {
  if (sodium_init() < 0) throw Error("libsodium failed to initialise");
  unsigned char key[32];
  randombytes_buf(key, sizeof key);
  char encoded[sodium_base64_ENCODED_LEN(sizeof key, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(encoded, sizeof encoded, key, sizeof key, sodium_base64_VARIANT_ORIGINAL);
  sodium_memzero(key, sizeof key);
  return encoded;
}

KeyStore KeyStore::Open(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    throw Error("key store " + file.string() + " not found: run `futureim init` to create it");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw Error("key store " + file.string() + " is accessible by other users (mode " + mode +
                "); run: chmod 600 " + file.string());
  }
  std::ifstream in(file);
  if (!in) throw Error(SystemError("cannot read key store", file));
  std::stringstream text;
  text << in.rdbuf();

  KeyStore store;
  store.file_ = file;
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception&) {
    // The parser's message may quote the file's bytes, i.e. a secret: do not show it.
    throw Error("key store " + file.string() + " is not valid JSON; restore it from a backup");
  }
  if (!json.is_object() || !json.contains("secrets") || !json["secrets"].is_object()) {
    throw Error("key store " + file.string() + " has no \"secrets\" object");
  }
  for (const auto& [name, value] : json["secrets"].items()) {
    if (!value.is_string())
      throw Error("key store " + file.string() + ": '" + name + "' is not a string");
    store.secrets_[name] = value.get<std::string>();
  }
  return store;
}

KeyStore KeyStore::OpenOrCreate(const std::filesystem::path& file, bool* created) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(file, ec);
  KeyStore store;
  if (exists) {
    store = Open(file);
  } else {
    store.file_ = file;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  }
  bool changed = !exists;
  for (auto name : kGeneratedSecrets) {
    if (!store.secrets_.contains(name)) {
      store.secrets_[std::string(name)] = GenerateKey();
      changed = true;
    }
  }
  if (changed) store.Save();
  if (created != nullptr) *created = !exists;
  return store;
}

std::optional<std::string> KeyStore::Get(std::string_view name) const {
  const auto it = secrets_.find(name);
  if (it == secrets_.end()) return std::nullopt;
  return it->second;
}

void KeyStore::Set(std::string_view name, std::string_view value) {
  secrets_[std::string(name)] = std::string(value);
  Save();
}

void KeyStore::Update(const std::vector<Change>& changes) {
  auto updated = secrets_;
  for (const auto& [name, value] : changes) {
    if (value) {
      updated[name] = *value;
    } else {
      updated.erase(name);
    }
  }
  std::swap(secrets_, updated);
  try {
    Save();
  } catch (...) {
    std::swap(secrets_, updated);  // the file is unchanged: so is this object
    throw;
  }
}

void KeyStore::Save() const {
  nlohmann::json json = {{"version", 1}, {"secrets", secrets_}};
  const std::string text = json.dump(2) + "\n";
  const std::filesystem::path temp = file_.string() + ".tmp";
  // O_EXCL after unlink: the temp file is always ours and born 0600, so the
  // secrets are never readable by others, not even for an instant.
  ::unlink(temp.c_str());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw Error(SystemError("cannot create key store", temp));
  try {
    WriteAll(fd, text, temp);
    if (::fsync(fd) != 0) throw Error(SystemError("cannot sync key store", temp));
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(temp.c_str(), file_.c_str()) != 0) {
    ::unlink(temp.c_str());
    throw Error(SystemError("cannot replace key store", file_));
  }
}

std::optional<std::string> Secrets::Get(std::string_view name) const {
  if (auto value = env_.Get(Config::EnvVarName(name)); value && !value->empty()) return value;
  if (store_ != nullptr) return store_->Get(name);
  return std::nullopt;
}

std::string Secrets::Require(std::string_view name) const {
  if (auto value = Get(name)) return *value;
  std::string message = "secret '" + std::string(name) + "' is not set: set " +
                        Config::EnvVarName(name) + " in the environment";
  if (store_ != nullptr) {
    message += " or store it with `futureim secret set " + std::string(name) + "` (key store " +
               store_->file().string() + ")";
  }
  throw Error(message);
}

}  // namespace futureim::core
