"""The offline harness and its mocks: strict about types, faithful about
invoke results, isolated between runs, and never vacuous about assertions."""

import importlib
import inspect
import textwrap

import pytest

from caldron.errors import CheckFailedError
from caldron.infra_check.harness import run_program
from caldron.infra_check.mocks import ACCOUNT_ID, RESOURCE_KINDS
from caldron.infra_check.stack_config import read_stack_config


@pytest.fixture
def run_tiny_program(scratch_project, tmp_path):
    """Run a few lines of Pulumi program offline as stack ``dev``."""

    def run(source: str):
        program = tmp_path / "program"
        program.mkdir(exist_ok=True)
        (program / "__main__.py").write_text(textwrap.dedent(source), encoding="utf-8")
        project = scratch_project("dev", document={"config": {}}, program_dir=program)
        return run_program(project, read_stack_config(project, "dev"))

    return run


def test_canary_an_assertion_inside_an_output_really_fails(run_tiny_program):
    with pytest.raises(AssertionError, match=r"TLSv1 is not TLSv1\.2_2021"):
        run_tiny_program(
            """
            import pulumi_aws as aws

            distribution_tls = aws.s3.Bucket("canary").arn.apply(lambda _: "TLSv1")

            def must_be_modern(version):
                assert version == "TLSv1.2_2021", f"{version} is not TLSv1.2_2021"

            distribution_tls.apply(must_be_modern)
            """
        )


def test_the_same_assertion_passes_when_the_value_is_right(run_tiny_program):
    run = run_tiny_program(
        """
        import pulumi
        import pulumi_aws as aws

        tls = aws.s3.Bucket("canary").arn.apply(lambda _: "TLSv1.2_2021")

        def must_be_modern(version):
            assert version == "TLSv1.2_2021", f"{version} is not TLSv1.2_2021"
            return version

        pulumi.export("tls", tls.apply(must_be_modern))
        """
    )
    assert run.outputs == {"tls": "TLSv1.2_2021"}


@pytest.mark.parametrize(
    ("source", "unknown"),
    [
        ('aws.s3.BucketV2("legacy")', "aws:s3/bucketV2:BucketV2"),
        (
            'aws.s3.BucketVersioningV2("legacy", bucket="b", '
            'versioning_configuration={"status": "Enabled"})',
            "aws:s3/bucketVersioningV2:BucketVersioningV2",
        ),
        ('aws.sqs.Queue("queue")', "aws:sqs/queue:Queue"),
    ],
)
def test_an_unknown_resource_type_fails_loudly(run_tiny_program, source, unknown):
    with pytest.raises(CheckFailedError) as raised:
        run_tiny_program(f"import pulumi_aws as aws\n{source}\n")

    assert f"resource type {unknown!r}" in str(raised.value)
    assert raised.value.exit_code == 10


def test_an_unknown_invoke_fails_loudly(run_tiny_program):
    with pytest.raises(CheckFailedError) as raised:
        run_tiny_program("import pulumi_aws as aws\naws.get_region()\n")

    assert "'aws:index/getRegion:getRegion'" in str(raised.value)


def test_invokes_answer_with_the_providers_camel_case_names(run_tiny_program):
    run = run_tiny_program(
        """
        import pulumi
        import pulumi_aws as aws

        plain = aws.get_caller_identity()
        lifted = aws.get_caller_identity_output()
        pulumi.export("account", plain.account_id)
        pulumi.export("user", plain.user_id)
        pulumi.export("lifted", lifted.account_id)
        """
    )
    assert run.outputs == {
        "account": ACCOUNT_ID,
        "user": "AIDAFAKEOFFLINE",
        "lifted": ACCOUNT_ID,
    }


def test_computed_outputs_are_filled_for_v7_buckets(run_tiny_program):
    run = run_tiny_program(
        """
        import pulumi
        import pulumi_aws as aws

        bucket = aws.s3.Bucket("assets", bucket="caldron-assets-fake")
        pulumi.export("domain", bucket.bucket_regional_domain_name)
        pulumi.export("arn", bucket.arn)
        """
    )
    assert run.outputs == {
        "domain": "caldron-assets-fake.s3.us-east-1.amazonaws.com",
        "arn": "arn:aws:s3:::caldron-assets-fake",
    }


def test_an_output_still_unknown_after_the_run_never_passes(run_tiny_program):
    with pytest.raises(CheckFailedError) as raised:
        run_tiny_program(
            """
            import asyncio
            import pulumi

            def settled(value):
                future = asyncio.get_event_loop().create_future()
                future.set_result(value)
                return future

            pulumi.export("later", pulumi.Output(set(), settled(None), settled(False)))
            """
        )
    assert "stack output 'later' is unknown after the run" in str(raised.value)


def test_two_resources_under_one_urn_are_refused(run_tiny_program):
    with pytest.raises(CheckFailedError) as raised:
        run_tiny_program(
            """
            import pulumi_aws as aws

            aws.s3.Bucket("twin")
            aws.s3.Bucket("twin")
            """
        )
    assert "two resources share the URN" in str(raised.value)
    assert "aws:s3/bucket:Bucket::twin" in str(raised.value)


def test_runs_do_not_leak_into_each_other(project, run_tiny_program):
    def urns(stack):
        run = run_program(project, read_stack_config(project, stack))
        return sorted(r.urn for r in run.resources), run.outputs["environment"]

    first_dev = urns("dev")
    with pytest.raises(CheckFailedError):
        run_tiny_program('import pulumi_aws as aws\naws.s3.BucketV2("legacy")\n')
    prod = urns("prod")
    second_dev = urns("dev")

    assert second_dev == first_dev
    assert first_dev[1] == "dev"
    assert prod[1] == "prod"
    assert all(urn.startswith("urn:pulumi:prod::caldron::") for urn in prod[0])
    assert len(prod[0]) > len(first_dev[0])


def args_class_for(resource_type):
    """The pulumi-aws ``*Args`` class behind a type token such as
    ``aws:s3/bucketPolicy:BucketPolicy``."""
    _, module_path, class_name = resource_type.split(":")
    module = importlib.import_module(f"pulumi_aws.{module_path.split('/')[0]}")
    return getattr(module, f"{class_name}Args")


@pytest.mark.parametrize(
    "resource_type",
    sorted(t for t in RESOURCE_KINDS if t.startswith("aws:")),
)
def test_the_taggable_flag_matches_what_the_provider_accepts(resource_type):
    accepts = inspect.signature(args_class_for(resource_type).__init__).parameters
    assert ("tags" in accepts) == RESOURCE_KINDS[resource_type].taggable
