#pragma once

#include <memory>

#include "auth/auth_service.h"
#include "cli/command_context.h"
#include "metadata/metadata_db.h"

namespace futureim::cli {

// The auth service of an installation, wired from its config and secrets:
// settings, the signing key (auth.jwt_key), and the mailer (SMTP when
// auth.smtp_url is set, else the outbox file). Owns what the service
// borrows, so it outlives every use.
class InstalledAuth {
 public:
  explicit InstalledAuth(CommandContext& context);

  auth::AuthService& service() { return *service_; }
  metadata::MetadataDb& metadata() { return metadata_; }

 private:
  metadata::MetadataDb metadata_;
  std::unique_ptr<auth::Mailer> mailer_;
  std::unique_ptr<auth::AuthService> service_;
};

}  // namespace futureim::cli
