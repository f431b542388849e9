"""The forms of AWS names and ids that verify checks before any AWS call."""

import pytest

from caldron.verify import shapes

ACCEPTED = [
    (shapes.REGION, "eu-west-1"),
    (shapes.REGION, "us-gov-west-1"),
    (shapes.REGION, "cn-northwest-1"),
    (shapes.REGION, "us-isob-east-1"),
    (shapes.REGION, "ap-southeast-5"),
    (shapes.BUCKET_NAME, "caldron-dev-uploads"),
    (shapes.BUCKET_NAME, "abc"),
    (shapes.BUCKET_NAME, "logs.caldron.example"),
    (shapes.BUCKET_NAME, "a" * 63),
    (shapes.DISTRIBUTION_ID, "E2QWRUHAPOMQZL"),
    (shapes.DISTRIBUTION_ID, "E2225C7F7FAKE"),
    (shapes.DOMAIN_NAME, "mail.dev.example.test"),
    (shapes.DOMAIN_NAME, "d2225c7f7.cloudfront.net"),
    (shapes.DOMAIN_NAME, "xn--bcher-kva.example"),
    (shapes.TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:caldron-dev-alerts"),
    (shapes.TOPIC_ARN, "arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts"),
    (shapes.TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:alerts.fifo"),
    (shapes.ALARM_NAME, "caldron-dev-5xx-rate"),
    (shapes.ALARM_NAME, "Caldron dev: SES bounce rate > 5%"),
    (shapes.ALARM_NAME, "a" * 255),
    (shapes.BACKUP_VAULT_NAME, "caldron-dev_primary"),
    (shapes.BACKUP_ID, "a433bb35-0d98-414c-bbb8-212b69203c9a"),
    (shapes.BACKUP_ID, "fake-selection-0001"),
]

REFUSED = [
    (shapes.REGION, "mars-1"),
    (shapes.REGION, "mars 1"),
    (shapes.REGION, "eu-west"),
    (shapes.REGION, "EU-WEST-1"),
    (shapes.REGION, "eu-west-1 "),
    (shapes.REGION, ""),
    (shapes.BUCKET_NAME, "Bad_Bucket!"),
    (shapes.BUCKET_NAME, "ab"),
    (shapes.BUCKET_NAME, "a" * 64),
    (shapes.BUCKET_NAME, "-caldron"),
    (shapes.BUCKET_NAME, "caldron-"),
    (shapes.BUCKET_NAME, "caldron..logs"),
    (shapes.BUCKET_NAME, "192.168.5.4"),
    (shapes.BUCKET_NAME, "xn--caldron"),
    (shapes.BUCKET_NAME, "sthree-caldron"),
    (shapes.BUCKET_NAME, "caldron-s3alias"),
    (shapes.BUCKET_NAME, "caldron--x-s3"),
    (shapes.BUCKET_NAME, "../etc"),
    (shapes.DISTRIBUTION_ID, "../../etc"),
    (shapes.DISTRIBUTION_ID, "e2qwruhapomqzl"),
    (shapes.DISTRIBUTION_ID, "2QWRUHAPOMQZL"),
    (shapes.DISTRIBUTION_ID, "E2QW RUHA"),
    (shapes.DISTRIBUTION_ID, "E" + "1" * 32),
    (shapes.DOMAIN_NAME, "localhost"),
    (shapes.DOMAIN_NAME, "not a domain.example"),
    (shapes.DOMAIN_NAME, "-mail.example.test"),
    (shapes.DOMAIN_NAME, "mail..example.test"),
    (shapes.DOMAIN_NAME, "../mail.example"),
    (shapes.DOMAIN_NAME, "a" * 64 + ".example"),
    (shapes.DOMAIN_NAME, ("a" * 63 + ".") * 4 + "test"),
    (shapes.TOPIC_ARN, "not-an-arn"),
    (shapes.TOPIC_ARN, "arn:aws:s3:::caldron-dev-uploads"),
    (shapes.TOPIC_ARN, "arn:aws:sns:mars-1:123456789012:alerts"),
    (shapes.TOPIC_ARN, "arn:aws:sns:eu-west-1:1234:alerts"),
    (shapes.TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:alerts/../x"),
    (shapes.TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:"),
    (shapes.ALARM_NAME, ""),
    (shapes.ALARM_NAME, "   "),
    (shapes.ALARM_NAME, "caldron\nforged-line"),
    (shapes.ALARM_NAME, "a" * 256),
    (shapes.BACKUP_VAULT_NAME, "x"),
    (shapes.BACKUP_VAULT_NAME, "vault/../x"),
    (shapes.BACKUP_VAULT_NAME, "v" * 51),
    (shapes.BACKUP_ID, "../plan"),
    (shapes.BACKUP_ID, "plan?x=1"),
    (shapes.BACKUP_ID, "-plan"),
    (shapes.BACKUP_ID, "p" * 65),
]


def shape_id(case):
    shape, text = case
    return f"{shape.matches.__name__}:{text[:20]!r}"


@pytest.mark.parametrize("case", ACCEPTED, ids=[shape_id(c) for c in ACCEPTED])
def test_well_formed_names_are_accepted(case):
    shape, text = case
    assert shape.matches(text) is True


@pytest.mark.parametrize("case", REFUSED, ids=[shape_id(c) for c in REFUSED])
def test_malformed_names_are_refused(case):
    shape, text = case
    assert shape.matches(text) is False
