// What the ServiceClient puts on the wire and reads back for the query, ec2, rest-json and rest-xml protocols,
// against a scripted transport: URI labels, query flattening, header and payload members, S3 addressing and
// signing rules, XML answers with flattened lists and maps.
#include "fake_transport.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/service_client.hpp"
#include "sfn/aws/sigv4.hpp"

#include <gtest/gtest.h>

using namespace sfn::aws;
using nlohmann::json;
using sfn::testing::FakeTransport;

namespace {

struct Wire {
    std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
    ServiceClient client;
    explicit Wire(std::string_view service, std::string endpoint = "http://127.0.0.1:9")
        : client(ServiceModel::load(service), transport,
                 static_credentials({.access_key_id = "AKID", .secret_access_key = "secret", .source = "test"}),
                 {.region = "eu-west-1", .endpoint_url = std::move(endpoint), .retry = {.max_attempts = 1}}) {}
    const HttpRequest& sent() const { return transport->requests.at(0); }
};

std::string error_of(const std::function<void()>& call) {
    try {
        call();
    } catch (const sfn::Error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(ServiceClientWire, QueryFlattensStructuresListsAndMaps) {
    // GIVEN an SNS client and a canned Publish answer
    Wire w("sns");
    w.transport->push(200, R"(<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult><MessageId>m-1</MessageId></PublishResult>
  <ResponseMetadata><RequestId>req-9</RequestId></ResponseMetadata></PublishResponse>)");
    // WHEN Publish carries a message attribute map
    auto out = w.client.call_with_metadata(
        "Publish", {{"TopicArn", "arn:t"}, {"Message", "a b&c"},
                    {"MessageAttributes", {{"k", {{"DataType", "String"}, {"StringValue", "v"}}}}}});
    // THEN the form has Action, Version and the map as entry.N.Name / entry.N.Value.<member>
    EXPECT_EQ(w.sent().body,
              "Action=Publish&Version=2010-03-31&Message=a%20b%26c&MessageAttributes.entry.1.Name=k&"
              "MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=v&"
              "TopicArn=arn%3At");
    EXPECT_EQ(*w.sent().header("Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
    // AND the result comes from <PublishResult>, the request id from <ResponseMetadata>
    EXPECT_EQ(out.output, json::parse(R"({"MessageId":"m-1"})"));
    EXPECT_EQ(out.request_id, "req-9");
}

TEST(ServiceClientWire, QueryListsUseMemberAndEmptyListsAreSent) {
    Wire w("sns");
    w.transport->push(200, "<CreateTopicResponse><CreateTopicResult><TopicArn>arn:t</TopicArn></CreateTopicResult>"
                           "</CreateTopicResponse>");
    w.transport->push(200, "<CreateTopicResponse><CreateTopicResult/></CreateTopicResponse>");
    (void)w.client.call("CreateTopic", {{"Name", "t"}, {"Tags", {{{"Key", "a"}, {"Value", "1"}}, {{"Key", "b"}, {"Value", "2"}}}}});
    (void)w.client.call("CreateTopic", {{"Name", "t"}, {"Tags", json::array()}});
    EXPECT_EQ(w.transport->requests[0].body,
              "Action=CreateTopic&Version=2010-03-31&Name=t&Tags.member.1.Key=a&Tags.member.1.Value=1&"
              "Tags.member.2.Key=b&Tags.member.2.Value=2");
    EXPECT_EQ(w.transport->requests[1].body, "Action=CreateTopic&Version=2010-03-31&Name=t&Tags=");
}

TEST(ServiceClientWire, Ec2NamesListsFlatAndReadsItemSets) {
    // GIVEN an EC2 client and a DescribeVpcs answer with an item set and a boolean
    Wire w("ec2");
    w.transport->push(200, R"(<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>r-1</requestId>
  <vpcSet><item><vpcId>vpc-1</vpcId><cidrBlock>10.0.0.0/16</cidrBlock><isDefault>true</isDefault>
    <tagSet><item><key>Name</key><value>main</value></item></tagSet></item></vpcSet>
</DescribeVpcsResponse>)");
    // WHEN filters and ids are given
    auto out = w.client.call_with_metadata(
        "DescribeVpcs", json::parse(R"({"Filters":[{"Name":"cidr","Values":["10.0.0.0/16","10.1.0.0/16"]}],
                                        "VpcIds":["vpc-1"],"DryRun":false})"));
    // THEN the names are the capitalised locationNames, lists flattened with 1-based indexes
    EXPECT_EQ(w.sent().body,
              "Action=DescribeVpcs&Version=2016-11-15&DryRun=false&Filter.1.Name=cidr&Filter.1.Value.1=10.0.0.0%2F16&"
              "Filter.1.Value.2=10.1.0.0%2F16&VpcId.1=vpc-1");
    // AND the answer maps to member names with typed scalars
    EXPECT_EQ(out.output, json::parse(R"({"Vpcs":[{"VpcId":"vpc-1","CidrBlock":"10.0.0.0/16","IsDefault":true,
                                         "Tags":[{"Key":"Name","Value":"main"}]}]})"));
    EXPECT_EQ(out.request_id, "r-1");
}

TEST(ServiceClientWire, RestJsonBindsLabelsHeadersStatusAndPayload) {
    // GIVEN a Lambda client and an Invoke answer with a function error
    Wire w("lambda");
    w.transport->push(200, R"({"errorMessage":"boom"})",
                      {{"X-Amz-Function-Error", "Unhandled"}, {"X-Amz-Executed-Version", "$LATEST"}});
    // WHEN Invoke names a qualified function and passes a JSON payload
    auto out = w.client.call("Invoke", json::parse(R"({"FunctionName":"fn:prod","InvocationType":"RequestResponse",
                                                       "Payload":{"x":[1,2]}})"));
    // THEN the label is encoded in the path, the header member is a header, the payload is the body
    EXPECT_EQ(w.sent().method, "POST");
    EXPECT_EQ(w.sent().url, "http://127.0.0.1:9/2015-03-31/functions/fn%3Aprod/invocations");
    EXPECT_EQ(*w.sent().header("X-Amz-Invocation-Type"), "RequestResponse");
    EXPECT_EQ(w.sent().body, R"({"x":[1,2]})");
    EXPECT_EQ(sigv4::parse_authorization(*w.sent().header("Authorization")).service, "lambda");
    EXPECT_TRUE(sigv4::verify(w.sent(), sigv4::parse_authorization(*w.sent().header("Authorization")), "secret"));
    // AND the output has the status code, header members and the payload text
    EXPECT_EQ(out, json::parse(R"({"StatusCode":200,"FunctionError":"Unhandled","ExecutedVersion":"$LATEST",
                                   "Payload":"{\"errorMessage\":\"boom\"}"})"));
}

TEST(ServiceClientWire, RestJsonQueryStringMembers) {
    Wire w("lambda");
    w.transport->push(200, R"({"Functions":[{"FunctionName":"a","LastModified":"2024-01-02T03:04:05.000+0000"}],
                               "NextMarker":"n"})");
    auto out = w.client.call("ListFunctions", {{"MaxItems", 5}, {"Marker", "a b"}});
    EXPECT_EQ(w.sent().method, "GET");
    EXPECT_EQ(w.sent().url, "http://127.0.0.1:9/2015-03-31/functions/?Marker=a%20b&MaxItems=5");
    EXPECT_EQ(w.sent().body, "");
    EXPECT_EQ(out["Functions"][0]["LastModified"], "2024-01-02T03:04:05.000+0000");  // a string member in Lambda
    EXPECT_EQ(out["NextMarker"], "n");
}

TEST(ServiceClientWire, S3OnAwsUsesTheVirtualHostAndSignsThePathAsSent) {
    // GIVEN an S3 client on AWS's endpoint (the transport answers instead of AWS)
    Wire w("s3", "");
    w.transport->push(200, "", {{"ETag", "\"e\""}, {"x-amz-request-id", "r"}});
    // WHEN an object with a space and a timestamp header is put
    auto out = w.client.call("PutObject", {{"Bucket", "my-bucket"}, {"Key", "a b/c~d.txt"}, {"Body", "hi"},
                                           {"Expires", "2024-01-02T03:04:05Z"}});
    // THEN the bucket is in the host, the key's '/' kept, the payload hash header present and signed
    const auto& r = w.sent();
    EXPECT_EQ(r.method, "PUT");
    EXPECT_EQ(r.url, "https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/c~d.txt");
    EXPECT_EQ(*r.header("Expires"), "Tue, 02 Jan 2024 03:04:05 GMT");
    EXPECT_EQ(*r.header("X-Amz-Content-Sha256"), sigv4::sha256_hex("hi"));
    auto auth = sigv4::parse_authorization(*r.header("Authorization"));
    EXPECT_NE(std::find(auth.signed_headers.begin(), auth.signed_headers.end(), "x-amz-content-sha256"),
              auth.signed_headers.end());
    EXPECT_EQ(sigv4::expected_signature(r.method, "/a%20b/c~d.txt", "", r.headers, r.body, auth, "secret",
                                        sigv4::PathNormalization::Verbatim, sigv4::PathEncoding::AsSent),
              auth.signature);
    EXPECT_EQ(out["ETag"], "\"e\"");
}

TEST(ServiceClientWire, S3BucketsThatAreNotDnsLabelsStayInThePath) {
    Wire w("s3", "");
    w.transport->push(200, "");
    (void)w.client.call("PutObject", {{"Bucket", "my.bucket"}, {"Key", "../k"}, {"Body", "x"}});
    EXPECT_EQ(w.sent().url, "https://s3.eu-west-1.amazonaws.com/my.bucket/../k");
}

TEST(ServiceClientWire, RestXmlReadsFlattenedListsAndHeaderMaps) {
    Wire w("s3");
    w.transport->push(200, R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><KeyCount>2</KeyCount>
<IsTruncated>false</IsTruncated>
<Contents><Key>a &amp; b</Key><Size>3</Size><LastModified>2024-01-02T03:04:05.000Z</LastModified></Contents>
<Contents><Key><![CDATA[c<d]]></Key><Size>0</Size><LastModified>2024-01-02T03:04:05.250Z</LastModified></Contents>
<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes></ListBucketResult>)");
    auto out = w.client.call("ListObjectsV2", {{"Bucket", "b"}, {"Prefix", "x/y"}});
    EXPECT_EQ(w.sent().url, "http://127.0.0.1:9/b?list-type=2&prefix=x%2Fy");
    EXPECT_EQ(out, json::parse(R"({"Name":"b","KeyCount":2,"IsTruncated":false,
        "Contents":[{"Key":"a & b","Size":3,"LastModified":"2024-01-02T03:04:05Z"},
                    {"Key":"c<d","Size":0,"LastModified":"2024-01-02T03:04:05.250Z"}],
        "CommonPrefixes":[{"Prefix":"dir/"}]})"));
}

TEST(ServiceClientWire, RestXmlStructurePayloadCarriesItsNamespace) {
    Wire w("s3");
    w.transport->push(200, "", {{"Location", "/b"}});
    auto out = w.client.call("CreateBucket", {{"Bucket", "b"},
                                              {"CreateBucketConfiguration", {{"LocationConstraint", "eu-west-1"}}}});
    EXPECT_EQ(w.sent().method, "PUT");
    EXPECT_EQ(w.sent().body,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateBucketConfiguration "
              "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>eu-west-1</LocationConstraint>"
              "</CreateBucketConfiguration>\n");
    EXPECT_EQ(out["Location"], "/b");
}

TEST(ServiceClientWire, BinaryObjectBodiesComeBackAsBase64) {
    Wire w("s3");
    w.transport->push(200, std::string("\xff\x00\x01", 3), {{"Content-Length", "3"}, {"x-amz-meta-Owner", "me"}});
    auto out = w.client.call("GetObject", {{"Bucket", "b"}, {"Key", "k"}});
    EXPECT_EQ(out["Body"], "/wAB");
    EXPECT_EQ(out["ContentLength"], 3);
    EXPECT_EQ(out["Metadata"], json::parse(R"({"owner":"me"})"));
}

TEST(ServiceClientWire, UriLabelsAreRequired) {
    Wire w("s3");
    EXPECT_EQ(error_of([&] { (void)w.client.call("GetObject", {{"Bucket", "b"}}); }),
              "[sfn.aws.E006] s3.GetObject: /Key: required (it is part of the request URI)");
    EXPECT_TRUE(w.transport->requests.empty());
}

TEST(ServiceClientWire, UnparsableXmlIsAProtocolError) {
    Wire w("sns");
    w.transport->push(200, "<PublishResponse><PublishResult>");
    auto message = error_of([&] { (void)w.client.call("Publish", {{"Message", "m"}}); });
    EXPECT_EQ(message.rfind("[sfn.aws.E005] sns.Publish: the response is not XML (", 0), 0u) << message;
}

TEST(ServiceClientWire, XmlErrorFormats) {
    // query: <ErrorResponse><Error>; ec2: <Response><Errors><Error>; both with their request ids
    Wire sns("sns");
    sns.transport->push(404, R"(<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code>
      <Message>Topic does not exist</Message></Error><RequestId>q-1</RequestId></ErrorResponse>)");
    try {
        (void)sns.client.call("Publish", {{"Message", "m"}});
        FAIL();
    } catch (const ServiceError& e) {
        EXPECT_EQ(e.error_code(), "NotFound");
        EXPECT_EQ(e.error_message(), "Topic does not exist");
        EXPECT_EQ(e.request_id(), "q-1");
    }
    Wire ec2("ec2");
    ec2.transport->push(400, R"(<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code>
      <Message>no vpc</Message></Error></Errors><RequestID>e-1</RequestID></Response>)");
    try {
        (void)ec2.client.call("DescribeVpcs", nullptr);
        FAIL();
    } catch (const ServiceError& e) {
        EXPECT_EQ(e.error_code(), "InvalidVpcID.NotFound");
        EXPECT_EQ(e.request_id(), "e-1");
    }
}
