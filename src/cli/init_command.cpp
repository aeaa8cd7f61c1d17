// futureim init: creates an installation folder, idempotently.

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include <fcntl.h>
#include <unistd.h>

#include "auth/token_codec.h"
#include "cli/auth_from_config.h"
#include "cli/command_context.h"
#include "core/error.h"
#include "metadata/metadata_db.h"

namespace futureim::cli {
namespace {

// Writes `text` to `file` only if the file does not exist (O_EXCL), so a
// user's edited config is never overwritten. Returns whether it wrote.
bool WriteNewFile(const std::filesystem::path& file, const std::string& text) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw core::Error("cannot create " + file.string() + ": " + std::strerror(errno));
  }
  const ssize_t written = ::write(fd, text.data(), text.size());
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size())) {
    ::unlink(file.c_str());
    throw core::Error("cannot write " + file.string());
  }
  return true;
}

void Report(bool created, const std::string& what, const std::filesystem::path& path) {
  std::cout << (created ? "created  " : "present  ") << what << "  " << path.string() << "\n";
}

struct InitOptions {
  std::string admin_email = "admin@localhost";
};

// The first admin account, so the API can be used at all. Its password comes
// from FUTUREIM_ADMIN_PASSWORD, or is generated and shown exactly once (only
// its Argon2id hash is kept).
void CreateFirstAdmin(CommandContext& context, const InitOptions& options) {
  InstalledAuth installed(context);
  const auto from_env = context.env().Get("FUTUREIM_ADMIN_PASSWORD");
  const std::string password =
      from_env && !from_env->empty() ? *from_env : auth::NewOpaqueToken(18);
  if (!installed.service().CreateFirstAdmin(options.admin_email, password, "Administrator")) {
    std::cout << "present  admin      (an enabled admin account exists)\n";
    return;
  }
  std::cout << "created  admin      " << auth::AuthService::NormalizeEmail(options.admin_email);
  if (from_env && !from_env->empty()) {
    std::cout << "  (password from FUTUREIM_ADMIN_PASSWORD)\n";
  } else {
    std::cout << "\n         password   " << password
              << "   (shown once: store it now, or reset it with forgot-password)\n";
  }
}

int RunInit(CommandContext& context, const InitOptions& options) {
  const auto& workdir = context.workdir();
  std::filesystem::create_directories(workdir.root);
  Report(WriteNewFile(workdir.config_file, core::Config::DefaultFileText()), "config   ",
         workdir.config_file);

  const auto& config = context.config();
  bool created = false;
  const auto key_file = config.GetPath("security.key_file");
  core::KeyStore::OpenOrCreate(key_file, &created);
  Report(created, "key store", key_file);

  const auto lake = config.GetPath("lake.path");
  for (const char* tier : {"raw", "curated", "prod"}) {
    created = std::filesystem::create_directories(lake / tier);
    Report(created, "lake tier", lake / tier);
  }

  const auto metadata_file = config.GetPath("metadata.path");
  created = !std::filesystem::exists(metadata_file);
  auto metadata = metadata::MetadataDb::Open(metadata_file);
  if (!metadata.GetFact("installation.created_at")) {
    metadata.SetFact("installation.created_at", std::to_string(::time(nullptr)));
  }
  Report(created, "metadata ", metadata_file);
  CreateFirstAdmin(context, options);
  return kExitOk;
}

}  // namespace

void AddInitCommand(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand(
      "init",
      "Create the installation folder: config file, key store (mode 0600, fresh keys), lake "
      "tiers and metadata database. Safe to run again: existing files are kept.");
  auto options = std::make_shared<InitOptions>();
  command
      ->add_option("--admin-email", options->admin_email,
                   "Email of the first admin account (created when no admin exists; password "
                   "from $FUTUREIM_ADMIN_PASSWORD, else generated and printed once)")
      ->capture_default_str();
  command->callback([&context, options] {
    context.run = [&context, options] { return RunInit(context, *options); };
  });
}

}  // namespace futureim::cli
