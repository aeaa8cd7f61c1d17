// SigV4 against the published aws-sig-v4-test-suite vectors (credentials
// AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service "service"), plus the
// minimal XML reading S3 answers need.
#include "lake/s3_signature.h"

#include <gtest/gtest.h>

#include "lake/s3_xml.h"

namespace futureim::lake {
namespace {

const SigV4Credentials kCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
constexpr const char* kDate = "20150830T123600Z";
constexpr const char* kEmptySha =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kCredentialScope =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

SigV4Request Get(std::vector<std::pair<std::string, std::string>> query) {
  return {"GET",
          "/",
          std::move(query),
          {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kDate}},
          kEmptySha};
}

TEST(SigV4Test, GetVanilla) {
  const auto signature = SignV4(Get({}), kCredentials, "us-east-1", "service", kDate);
  EXPECT_EQ(
      signature.canonical_request,
      "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
          std::string(kEmptySha));
  EXPECT_EQ(signature.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(signature.authorization,
            std::string(kCredentialScope) +
                "SignedHeaders=host;x-amz-date, "
                "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4Test, GetVanillaQueryOrderKeyCase) {
  const auto signature = SignV4(Get({{"Param2", "value2"}, {"Param1", "value1"}}), kCredentials,
                                "us-east-1", "service", kDate);
  EXPECT_NE(signature.canonical_request.find("\nParam1=value1&Param2=value2\n"), std::string::npos);
  EXPECT_EQ(signature.signature,
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4Test, GetVanillaQueryOrderKey) {
  const auto signature = SignV4(Get({{"Param1", "value2"}, {"Param1", "Value1"}}), kCredentials,
                                "us-east-1", "service", kDate);
  EXPECT_EQ(
      signature.canonical_request,
      "GET\n/"
      "\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
      "host;x-amz-date\n" +
          std::string(kEmptySha));
  EXPECT_EQ(signature.signature,
            "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1");
}

TEST(SigV4Test, GetVanillaUtf8Query) {
  const auto signature =
      SignV4(Get({{"\xE1\x88\xB4", "bar"}}), kCredentials, "us-east-1", "service", kDate);
  EXPECT_NE(signature.canonical_request.find("\n%E1%88%B4=bar\n"), std::string::npos);
  EXPECT_EQ(signature.signature,
            "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
}

TEST(SigV4Test, PostXWwwFormUrlencoded) {
  const SigV4Request request{"POST",
                             "/",
                             {},
                             {{"Content-Type", "application/x-www-form-urlencoded"},
                              {"Host", "example.amazonaws.com"},
                              {"X-Amz-Date", kDate}},
                             Sha256Hex("Param1=value1")};
  const auto signature = SignV4(request, kCredentials, "us-east-1", "service", kDate);
  EXPECT_EQ(
      signature.canonical_request,
      "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
      "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  EXPECT_EQ(signature.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
  EXPECT_EQ(signature.authorization,
            std::string(kCredentialScope) +
                "SignedHeaders=content-type;host;x-amz-date, "
                "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

TEST(SigV4Test, HeaderValuesAreTrimmedAndRepeatsJoined) {
  SigV4Request request = Get({});
  request.headers.emplace_back("My-Header1", "  value1   with  spaces ");
  request.headers.emplace_back("my-header1", "value2");
  const auto signature = SignV4(request, kCredentials, "us-east-1", "service", kDate);
  EXPECT_NE(signature.canonical_request.find("\nmy-header1:value1 with spaces,value2\n"),
            std::string::npos)
      << signature.canonical_request;
}

TEST(SigV4Test, UriEncoding) {
  EXPECT_EQ(UriEncode("raw/a b+c=d&e~f_g-h.i", true), "raw/a%20b%2Bc%3Dd%26e~f_g-h.i");
  EXPECT_EQ(UriEncode("a/b", false), "a%2Fb");
  EXPECT_EQ(CanonicalQueryString({{"uploads", ""}, {"prefix", "raw/x y"}}),
            "prefix=raw%2Fx%20y&uploads=");
}

TEST(S3XmlTest, ElementsTextAndEntities) {
  const std::string xml =
      "<?xml version=\"1.0\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<KeyCount>2</KeyCount><IsTruncated>true</IsTruncated><Prefix/>"
      "<Contents><Key>a&amp;b&lt;c&gt;&quot;d&apos;&#65;&#x42;&#x1234;</Key><Size>5</Size></"
      "Contents>"
      "<Contents><Key>plain</Key><Size>7</Size></Contents>"
      "<NextContinuationToken>tok+/=</NextContinuationToken></ListBucketResult>";
  const auto contents = XmlElements(xml, "Contents");
  ASSERT_EQ(contents.size(), 2u);
  EXPECT_EQ(XmlText(contents[0], "Key"), "a&b<c>\"d'AB\xE1\x88\xB4");
  EXPECT_EQ(XmlText(contents[1], "Size"), "7");
  EXPECT_EQ(XmlText(xml, "Key"), XmlText(contents[0], "Key"));  // <KeyCount> is not <Key>
  EXPECT_EQ(XmlText(xml, "KeyCount"), "2");
  EXPECT_EQ(XmlText(xml, "Prefix"), "");
  EXPECT_EQ(XmlText(xml, "Missing"), std::nullopt);
  EXPECT_EQ(XmlText(xml, "NextContinuationToken"), "tok+/=");
  EXPECT_EQ(XmlDecode("a &bogus; &#xZZ; &"), "a &bogus; &#xZZ; &");
  EXPECT_EQ(XmlDecode(XmlEscape("<\"&'>")), "<\"&'>");
}

}  // namespace
}  // namespace futureim::lake
