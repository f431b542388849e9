"""AWS failures become caldron errors in one place, with a clear message."""

import pytest
from botocore import exceptions as aws

from caldron import errors
from caldron.verify.aws import AwsUnreachableError, translate_aws_errors


def client_error(code: str, operation: str = "GetBucketEncryption"):
    response = {"Error": {"Code": code, "Message": "fake message from AWS"}}
    return aws.ClientError(response, operation)


@pytest.mark.parametrize(
    ("raised", "error_class", "exit_code", "message"),
    [
        (client_error("AccessDenied"), errors.PermissionDeniedError, 7,
         "AWS denied GetBucketEncryption (AccessDenied)"),
        (client_error("AuthorizationError", "GetTopicAttributes"),
         errors.PermissionDeniedError, 7,
         "AWS denied GetTopicAttributes (AuthorizationError)"),
        (client_error("ExpiredToken"), errors.NotAuthenticatedError, 5,
         "AWS rejected the credentials on GetBucketEncryption (ExpiredToken)"),
        (client_error("InvalidClientTokenId"), errors.NotAuthenticatedError, 5,
         "AWS rejected the credentials on GetBucketEncryption (InvalidClientTokenId)"),
        (client_error("ThrottlingException", "DescribeAlarms"), errors.CaldronError,
         1, "AWS throttled DescribeAlarms (ThrottlingException) after retries"),
        (client_error("InternalError"), errors.CaldronError, 1,
         "AWS failed GetBucketEncryption (InternalError)"),
        (aws.NoCredentialsError(), errors.NotAuthenticatedError, 5,
         "no usable AWS credentials found"),
        (aws.ProfileNotFound(profile="fake-profile"), errors.UsageError, 2,
         "AWS profile 'fake-profile' is not configured"),
        (aws.NoRegionError(), errors.UsageError, 2,
         "no AWS region known for verification"),
        (aws.EndpointConnectionError(endpoint_url="https://s3.fake.test"),
         AwsUnreachableError, 4, "cannot reach AWS at https://s3.fake.test"),
        (aws.EndpointConnectionError(
            endpoint_url="https://fake-user:fake-pw@s3.fake.test:8443/a?b=c"),
         AwsUnreachableError, 4, "cannot reach AWS at https://s3.fake.test:8443"),
        (aws.ConnectTimeoutError(endpoint_url="https://sns.fake.test"),
         AwsUnreachableError, 4, "cannot reach AWS at https://sns.fake.test"),
        (aws.ReadTimeoutError(endpoint_url="https://sns.fake.test"),
         AwsUnreachableError, 4, "cannot reach AWS at https://sns.fake.test"),
        (aws.ConnectionClosedError(endpoint_url="https://s3.fake.test"),
         AwsUnreachableError, 4, "cannot reach AWS at https://s3.fake.test"),
        (aws.ProxyConnectionError(
            proxy_url="http://fake-user:fake-pw@proxy.fake.test", error="refused"),
         AwsUnreachableError, 4,
         "cannot reach AWS at its endpoint (ProxyConnectionError)"),
        (aws.EndpointConnectionError(endpoint_url="https://s3.fake.test:99999"),
         AwsUnreachableError, 4,
         "cannot reach AWS at its endpoint (EndpointConnectionError)"),
    ],
)  # fmt: skip
def test_aws_failures_become_caldron_errors(raised, error_class, exit_code, message):
    with pytest.raises(error_class) as caught, translate_aws_errors():
        raise raised

    assert type(caught.value) is error_class
    assert caught.value.exit_code == exit_code
    assert caught.value.message == message
    assert caught.value.hint
    assert "fake message from AWS" not in str(caught.value)
    assert "fake-pw" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__ is True


def test_errors_outside_aws_pass_through():
    with pytest.raises(KeyError), translate_aws_errors():
        raise KeyError("storage_bucket_name")
