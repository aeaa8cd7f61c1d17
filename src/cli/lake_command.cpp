// futureim lake rotate-key: re-encrypt the lake under a new key
// (lake/lake_key_rotation.h says how a crash is survived); futureim lake
// push: copy the lake to its S3 store (lake/lake_mirror.h).

#include <iostream>

#include "cli/command_context.h"
#include "cli/configured_pipeline.h"
#include "core/error.h"
#include "lake/lake_key_rotation.h"
#include "lake/lake_mirror.h"
#include "lake/object_store_from_config.h"
#include "lake/parquet_encryption.h"

namespace futureim::cli {

void AddLakeCommand(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand("lake", "Maintain the lake's files.");
  command->require_subcommand(1);
  command
      ->add_subcommand("rotate-key",
                       "Re-encrypt every encrypted Parquet file under a new lake.encryption_key "
                       "(resumes an interrupted rotation)")
      ->callback([&context] {
        context.run = [&context] {
          const std::string variable = core::Config::EnvVarName(lake::kLakeKeySecret);
          if (const auto from_env = context.env().Get(variable); from_env && !from_env->empty()) {
            throw core::Error(
                "lake.encryption_key comes from the environment (" + variable +
                "): rotation replaces the key in the key store, so unset it there first or "
                "rotate it where it is set");
          }
          auto store = core::KeyStore::Open(context.config().GetPath("security.key_file"));
          const auto lake_root = context.lake_root();
          const auto report = lake::RotateLakeKey(lake_root, store);
          if (report.resumed) std::cout << "resumed an interrupted rotation\n";
          if (report.stale_temporaries > 0) {
            std::cout << "removed " << report.stale_temporaries
                      << " temporary file(s) of the interrupted rotation\n";
          }
          std::cout << "rotated lake.encryption_key: " << report.encrypted_files
                    << " encrypted file(s), " << report.rotated << " re-encrypted, "
                    << report.already_rotated << " already under the new key\n";
          return kExitOk;
        };
      });
  command
      ->add_subcommand("push",
                       "Copy the lake to its S3 store (lake.backend = s3): new files first, then "
                       "the pointers, then pruned runs deleted, so readers of the store never "
                       "see a half-written state")
      ->callback([&context] {
        context.run = [&context] {
          if (context.config().GetString("lake.backend") != "s3") {
            throw core::Error(
                "lake.backend = local: there is no store to push to (set lake.backend = s3 and "
                "the lake.s3_* settings)");
          }
          const auto store = lake::OpenObjectStore(context.config(), context.secrets());
          const auto report = lake::PushLakeToStore(context.lake_root(), *store);
          PrintLakePush(report, store->Describe(), std::cout);
          return kExitOk;
        };
      });
}

}  // namespace futureim::cli
