#include "auth/password.h"

#include <gtest/gtest.h>

namespace futureim::auth {
namespace {

TEST(PasswordTest, RuleNeedsMixedClassesOrALongPassphrase) {
  EXPECT_EQ(PasswordProblem("Abcdef1!"), std::nullopt);
  EXPECT_NE(PasswordProblem("Abcde1!"), std::nullopt);                // 7 characters
  EXPECT_NE(PasswordProblem("abcdefg1!"), std::nullopt);              // no upper case
  EXPECT_NE(PasswordProblem("ABCDEFG1!"), std::nullopt);              // no lower case
  EXPECT_NE(PasswordProblem("Abcdefgh!"), std::nullopt);              // no digit
  EXPECT_NE(PasswordProblem("Abcdefgh1"), std::nullopt);              // no symbol
  EXPECT_EQ(PasswordProblem("correct horse battery"), std::nullopt);  // passphrase
  EXPECT_NE(PasswordProblem("fifteen chars!!"), std::nullopt);        // 15: too short for one
  // Length counts characters, not bytes: 16 two-byte letters pass, 8 do not.
  EXPECT_EQ(PasswordProblem("éééééééééééééééé"), std::nullopt);
  EXPECT_NE(PasswordProblem("éééééééé"), std::nullopt);
  EXPECT_NE(PasswordProblem(std::string(1025, 'a')), std::nullopt);
}

TEST(PasswordTest, HashesWithArgon2idAndVerifies) {
  const auto hash = HashPassword("Abcdef1!");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(VerifyPassword("Abcdef1!", hash));
  EXPECT_FALSE(VerifyPassword("Abcdef1?", hash));
  EXPECT_NE(HashPassword("Abcdef1!"), hash);  // salted
  EXPECT_FALSE(VerifyPassword("x", "not a hash"));
  EXPECT_FALSE(VerifyPassword("x", DecoyPasswordHash()));
}

}  // namespace
}  // namespace futureim::auth
