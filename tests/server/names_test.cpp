// Names, ARNs and page tokens as AWS defines them.
#include "server/detail_names.hpp"
#include "sfn/server/error.hpp"

#include <gtest/gtest.h>

using namespace sfn::server;
using namespace sfn::server::detail;

TEST(Names, FollowAwsRules) {
    EXPECT_TRUE(valid_name("Hello-World_1.2"));
    EXPECT_TRUE(valid_name("héllo"));
    EXPECT_TRUE(valid_name(std::string(80, 'a')));
    EXPECT_FALSE(valid_name(std::string(81, 'a')));
    EXPECT_FALSE(valid_name(""));
    for (const char* bad : {"a b", "a<b", "a{b", "a[b", "a?b", "a*b", "a\"b", "a#b", "a%b", "a\\b", "a^b", "a|b",
                            "a~b", "a`b", "a$b", "a&b", "a,b", "a;b", "a:b", "a/b", "a\tb", "a\x7f"}) {
        EXPECT_FALSE(valid_name(bad)) << bad;
    }
    EXPECT_FALSE(valid_name("\xff"));
}

TEST(Names, MachineArnsCarryVersionsAndAliases) {
    const auto plain = parse_machine_arn("arn:aws:states:us-east-1:123456789012:stateMachine:M");
    EXPECT_EQ(plain.name, "M");
    EXPECT_FALSE(plain.version);
    const auto version = parse_machine_arn("arn:aws:states:us-east-1:123456789012:stateMachine:M:3");
    EXPECT_EQ(version.version, 3);
    EXPECT_EQ(version.machine_arn, "arn:aws:states:us-east-1:123456789012:stateMachine:M");
    const auto alias = parse_machine_arn("arn:aws:states:us-east-1:123456789012:stateMachine:M:prod");
    EXPECT_EQ(alias.alias, "prod");
    try {
        (void)parse_machine_arn("arn:aws:states:us-east-1:123456789012:activity:M");
        FAIL() << "expected InvalidArn";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.type(), "InvalidArn");
        EXPECT_EQ(e.message(), "Invalid Arn: 'arn:aws:states:us-east-1:123456789012:activity:M'");
    }
}

TEST(Names, ArnsWithoutRegionOrResourceQualifierParse) {
    const auto role = parse_arn("arn:aws:iam::123456789012:role/test");
    ASSERT_TRUE(role);
    EXPECT_EQ(role->service, "iam");
    EXPECT_EQ(role->region, "");
    EXPECT_EQ(role->resource_type, "role/test");
    EXPECT_FALSE(parse_arn("arn:aws:iam::123456789012:"));
    EXPECT_FALSE(parse_arn("nope"));
}

TEST(Names, PageTokensRoundTripOnlyInTheirScope) {
    const auto token = encode_token("ListX", "cursor-1");
    EXPECT_EQ(decode_token("ListX", token), "cursor-1");
    EXPECT_FALSE(decode_token("ListY", token));
    EXPECT_FALSE(decode_token("ListX", "zzz"));
}
