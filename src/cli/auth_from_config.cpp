#include "cli/auth_from_config.h"

#include "core/error.h"

namespace futureim::cli {
namespace {

auth::AuthSettings SettingsFromConfig(const core::Config& config) {
  auth::AuthSettings settings;
  settings.access_token_seconds = config.GetInt("auth.access_token_seconds");
  settings.refresh_token_seconds = config.GetInt("auth.refresh_token_days") * 86400;
  settings.reset_token_seconds = config.GetInt("auth.reset_token_seconds");
  settings.verify_token_seconds = config.GetInt("auth.verify_token_seconds");
  settings.max_failed_logins = config.GetInt("auth.max_failed_logins");
  settings.lockout_seconds = config.GetInt("auth.lockout_seconds");
  settings.require_verified_email = config.GetBool("auth.require_verified_email");
  settings.public_url = config.GetString("auth.public_url");
  while (!settings.public_url.empty() && settings.public_url.back() == '/') {
    settings.public_url.pop_back();
  }
  return settings;
}

std::unique_ptr<auth::Mailer> MailerFromConfig(const core::Config& config,
                                               const core::Secrets& secrets) {
  const std::string smtp_url = config.GetString("auth.smtp_url");
  if (smtp_url.empty()) {
    return std::make_unique<auth::OutboxFileMailer>(config.GetPath("auth.outbox_path"),
                                                    config.GetString("auth.mail_from"));
  }
  if (smtp_url.rfind("smtp://", 0) != 0 && smtp_url.rfind("smtps://", 0) != 0) {
    throw core::Error("auth.smtp_url must start with smtp:// or smtps://");
  }
  return std::make_unique<auth::SmtpMailer>(auth::SmtpMailer::Options{
      smtp_url, config.GetString("auth.smtp_user"), secrets.Get("auth.smtp_password").value_or(""),
      config.GetString("auth.mail_from")});
}

}  // namespace

InstalledAuth::InstalledAuth(CommandContext& context)
    : metadata_(metadata::MetadataDb::Open(context.config().GetPath("metadata.path"))) {
  const auto& config = context.config();
  const auto secrets = context.secrets();
  std::string key = secrets.Require("auth.jwt_key");
  if (key.size() < 32) {
    throw core::Error(
        "auth.jwt_key must have at least 32 characters (futureim init generates one)");
  }
  mailer_ = MailerFromConfig(config, secrets);
  service_ = std::make_unique<auth::AuthService>(metadata_.database(),
                                                 auth::AccessTokenCodec(std::move(key)), *mailer_,
                                                 SettingsFromConfig(config));
}

}  // namespace futureim::cli
