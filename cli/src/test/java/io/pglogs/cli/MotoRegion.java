package io.pglogs.cli;

import io.pglogs.testing.MotoServer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * SDK clients and a CLI pointed at one region of the shared moto server: tests of region-wide listings each take
 * a region of their own, which moto keeps apart.
 */
final class MotoRegion {
    final MotoServer moto;
    final Region region;
    final CloudWatchLogsClient logs;
    final RdsClient rds;

    MotoRegion(String region) {
        this(MotoServer.shared(), region);
    }

    /** A region of {@code moto}: a test whose fixed names other tests also use takes a moto server of its own. */
    MotoRegion(MotoServer moto, String region) {
        this.moto = moto;
        this.region = Region.of(region);
        this.logs = moto.configure(CloudWatchLogsClient.builder()).region(this.region).build();
        this.rds = moto.configure(RdsClient.builder()).region(this.region).build();
    }

    TestCli cli() {
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("AWS_REGION", region.id());
        // The Terraform fixtures act in the emulator with boto3, from moto's own virtualenv.
        cli.env.put("PGLOGS_FIXTURE_PYTHON", java.nio.file.Path.of(System.getProperty("pglogs.moto.server"))
                .resolveSibling("python").toString());
        return cli;
    }
}
