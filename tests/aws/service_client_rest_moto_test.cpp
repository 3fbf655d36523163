// ServiceClient against moto_server for the rest-xml (S3), rest-json (Lambda) and ec2 protocols, every
// signature checked by the verifying proxy (service_moto_fixture.hpp), side effects checked with boto3.
#include "service_moto_fixture.hpp"
#include "sfn/aws/errors.hpp"

using namespace sfn::aws;
using nlohmann::json;

namespace {

class RestMoto : public sfn::testing::ServiceAgainstMoto {};

std::string service_error_code(const std::function<void()>& call) {
    try {
        call();
    } catch (const ServiceError& e) {
        return e.error_code() + " " + std::to_string(e.http_status());
    }
    return "no error";
}

}  // namespace

TEST_F(RestMoto, S3ObjectsWithAwkwardKeysRoundTrip) {
    // GIVEN a bucket created with the client (rest-xml, a structure payload with its namespace)
    auto s3 = client("s3");
    (void)s3.call("CreateBucket", json::parse(R"({"Bucket":"sfn-objects",
        "CreateBucketConfiguration":{"LocationConstraint":"eu-west-1"}})"));
    const std::vector<std::string> keys = {"plain.txt", "dir/sub dir/file name.txt", "ünïcødé/ключ €.json",
                                           "odd+chars=&?#%.txt", "a//double/slash"};
    // WHEN objects are put under awkward keys, with metadata, then read back
    for (const auto& key : keys) {
        auto put = s3.call("PutObject", {{"Bucket", "sfn-objects"}, {"Key", key}, {"Body", "body of " + key},
                                         {"ContentType", "text/plain"}, {"Metadata", {{"origin", "sfn"}}}});
        EXPECT_TRUE(put["ETag"].is_string()) << put.dump();
    }
    auto got = s3.call_with_metadata("GetObject", {{"Bucket", "sfn-objects"}, {"Key", keys[2]}});
    // THEN GetObject returns the body as text, headers as members, user metadata as a map
    EXPECT_EQ(got.output["Body"], "body of " + keys[2]);
    EXPECT_EQ(got.output["ContentType"], "text/plain");
    EXPECT_EQ(got.output["ContentLength"], static_cast<int>(("body of " + keys[2]).size()));
    EXPECT_EQ(got.output["Metadata"], json::parse(R"({"origin":"sfn"})"));
    EXPECT_TRUE(got.output["LastModified"].get<std::string>().ends_with("Z")) << got.output.dump();
    EXPECT_EQ(got.status, 200);
    // AND boto3 finds every key with its body in moto
    auto stored = boto3("s3 = client('s3')\nresult = {o['Key']: s3.get_object(Bucket='sfn-objects', Key=o['Key'])"
                        "['Body'].read().decode() for o in s3.list_objects_v2(Bucket='sfn-objects')['Contents']}");
    ASSERT_EQ(stored.size(), keys.size()) << stored.dump();
    for (const auto& key : keys) EXPECT_EQ(stored[key], "body of " + key) << key;
    // AND ListObjectsV2 (a flattened list in XML) lists them with sizes as numbers, a prefix query works
    auto listed = s3.call("ListObjectsV2", {{"Bucket", "sfn-objects"}});
    ASSERT_EQ(listed["Contents"].size(), keys.size()) << listed.dump();
    EXPECT_EQ(listed["KeyCount"], static_cast<int>(keys.size()));
    EXPECT_TRUE(listed["Contents"][0]["Size"].is_number());
    auto prefixed = s3.call("ListObjectsV2", {{"Bucket", "sfn-objects"}, {"Prefix", "dir/sub dir/"}});
    ASSERT_EQ(prefixed["Contents"].size(), 1u) << prefixed.dump();
    EXPECT_EQ(prefixed["Contents"][0]["Key"], keys[1]);
    // AND every request was signed for s3 with the payload hash
    for (const auto& r : requests_seen()) EXPECT_EQ(r["service"], "s3") << r.dump();
}

TEST_F(RestMoto, S3JsonBodyIsStoredSerialised) {
    auto s3 = client("s3");
    (void)s3.call("CreateBucket", {{"Bucket", "sfn-json"}});
    (void)s3.call("PutObject", {{"Bucket", "sfn-json"}, {"Key", "doc.json"}, {"Body", {{"a", 1}}}});
    EXPECT_EQ(boto3("result = client('s3').get_object(Bucket='sfn-json', Key='doc.json')['Body'].read().decode()"),
              R"({"a":1})");
}

TEST_F(RestMoto, S3ErrorsCarryTheirCodes) {
    auto s3 = client("s3");
    (void)s3.call("CreateBucket", {{"Bucket", "sfn-errors"}});
    EXPECT_EQ(service_error_code([&] { (void)s3.call("ListObjectsV2", {{"Bucket", "sfn-no-such-bucket"}}); }),
              "NoSuchBucket 404");
    EXPECT_EQ(service_error_code([&] { (void)s3.call("GetObject", {{"Bucket", "sfn-errors"}, {"Key", "missing"}}); }),
              "NoSuchKey 404");
    // HEAD answers have no body: the status is the code, as the SDKs report it
    EXPECT_EQ(service_error_code([&] { (void)s3.call("HeadObject", {{"Bucket", "sfn-errors"}, {"Key", "missing"}}); }),
              "404 404");
}

TEST_F(RestMoto, S3DeleteObjectsSendsContentMd5) {
    // GIVEN two objects (boto3)
    (void)boto3("s3 = client('s3'); s3.create_bucket(Bucket='sfn-delete')\n"
                "s3.put_object(Bucket='sfn-delete', Key='a', Body=b'1'); s3.put_object(Bucket='sfn-delete', Key='b', Body=b'2')");
    // WHEN DeleteObjects (an XML body with a flattened list; the model requires a checksum) removes both
    auto s3 = client("s3");
    auto out = s3.call("DeleteObjects", json::parse(R"({"Bucket":"sfn-delete",
        "Delete":{"Objects":[{"Key":"a"},{"Key":"b"}],"Quiet":false}})"));
    // THEN both are reported deleted and gone
    EXPECT_EQ(out["Deleted"].size(), 2u) << out.dump();
    EXPECT_EQ(boto3("result = client('s3').list_objects_v2(Bucket='sfn-delete')['KeyCount']"), 0);
}

TEST_F(RestMoto, LambdaListFunctionsOverRestJson) {
    // GIVEN a function created with boto3 (moto stores it without running it)
    (void)boto3(
        "import io, zipfile\n"
        "buf = io.BytesIO(); z = zipfile.ZipFile(buf, 'w'); z.writestr('index.py', 'def handler(e, c): return e'); z.close()\n"
        "role = client('iam').create_role(RoleName='fn-role', AssumeRolePolicyDocument='{}')['Role']['Arn']\n"
        "client('lambda').create_function(FunctionName='echo', Runtime='python3.11', Role=role,"
        " Handler='index.handler', Code={'ZipFile': buf.getvalue()})");
    // WHEN ListFunctions (GET /2015-03-31/functions/) and GetFunction (a URI label) are called
    auto lambda = client("lambda");
    ASSERT_EQ(lambda.model().protocol(), "rest-json");
    auto listed = lambda.call("ListFunctions", nullptr);
    auto one = lambda.call("GetFunction", {{"FunctionName", "echo"}});
    // THEN the function is there with its model members
    ASSERT_EQ(listed["Functions"].size(), 1u) << listed.dump();
    EXPECT_EQ(listed["Functions"][0]["FunctionName"], "echo");
    EXPECT_EQ(listed["Functions"][0]["Runtime"], "python3.11");
    EXPECT_EQ(one["Configuration"]["Handler"], "index.handler");
    EXPECT_EQ(service_error_code([&] { (void)lambda.call("GetFunction", {{"FunctionName", "nope"}}); }),
              "ResourceNotFoundException 404");
    for (const auto& r : requests_seen()) EXPECT_EQ(r["service"], "lambda") << r.dump();
}

TEST_F(RestMoto, Ec2DescribeVpcsWithFilters) {
    // GIVEN moto's default VPC and one more (boto3)
    auto created = boto3("result = client('ec2').create_vpc(CidrBlock='10.7.0.0/16')['Vpc']['VpcId']");
    auto ec2 = client("ec2");
    ASSERT_EQ(ec2.model().protocol(), "ec2");
    // WHEN DescribeVpcs is called without and with a filter (EC2 list flattening: Filter.1.Value.1)
    auto all = ec2.call("DescribeVpcs", nullptr);
    auto one = ec2.call("DescribeVpcs", json::parse(R"({"Filters":[{"Name":"cidr","Values":["10.7.0.0/16"]}]})"));
    auto by_id = ec2.call_with_metadata("DescribeVpcs", {{"VpcIds", {created}}});
    // THEN the answers match boto3's view, booleans are booleans, and the request id comes from the body
    auto ids = boto3("result = sorted(v['VpcId'] for v in client('ec2').describe_vpcs()['Vpcs'])");
    std::vector<std::string> got;
    for (const auto& v : all["Vpcs"]) got.push_back(v["VpcId"]);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(json(got), ids);
    ASSERT_EQ(one["Vpcs"].size(), 1u) << one.dump();
    EXPECT_EQ(one["Vpcs"][0]["VpcId"], created);
    EXPECT_EQ(one["Vpcs"][0]["IsDefault"], false);
    ASSERT_EQ(by_id.output["Vpcs"].size(), 1u);
    EXPECT_FALSE(by_id.request_id.empty());
    // AND EC2's error format (<Response><Errors><Error>) is read
    EXPECT_EQ(service_error_code([&] { (void)ec2.call("DescribeVpcs", {{"VpcIds", {"vpc-00000000"}}}); }),
              "InvalidVpcID.NotFound 400");
}
