package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/cli.md: no AWS credentials is a precondition (exit 3), named, before any AWS call is attempted. */
class CredentialsTest {
    private final TestCli cli = new TestCli();

    @TempDir
    Path tmp;

    @Test
    void aProfileWithoutCredentialsExits3NamingIt() throws Exception {
        Path config = Files.writeString(tmp.resolve("config"), "[profile ops]\nregion = eu-west-1\n");
        Files.writeString(tmp.resolve("credentials"), "[default]\naws_access_key_id = AKIAEXAMPLE\n"
                + "aws_secret_access_key = secret\n");
        cli.env.put("AWS_CONFIG_FILE", config.toString());
        cli.env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("credentials").toString());
        // Nothing listens there: were credentials found, the call would fail as unreachable (exit 1) instead.
        cli.env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        cli.env.put("AWS_REGION", "eu-west-1");
        for (String[] args : new String[][] {{"--profile", "ops", "instances"}, {"status", "devel", "--profile",
                "ops"}, {"--profile", "nosuch", "retention", "show", "--region", "eu-west-1"}}) {
            TestCli.Result r = cli.run(args);
            assertEquals(3, r.code(), r.toString());
            assertEquals(1, r.err().lines().count(), r.err());
            String profile = args[0].equals("--profile") ? args[1] : args[3];
            assertTrue(r.err().startsWith("pglogs: no AWS credentials for profile '" + profile + "'"), r.err());
        }
    }
}
