package io.pglogs.cli.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pglogs.cli.config.Environment;
import io.pglogs.cli.error.PreconditionException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A working copy's own state from before records were kept, moved to the state directory only when it is ours. */
class LocalStatesTest {
    @TempDir
    Path tmp;

    private Path root;
    private LocalStates local;

    @BeforeEach
    void root() throws IOException {
        root = Files.createDirectories(tmp.resolve("terraform/collectors/manage_devel"));
        local = new LocalStates(tmp.resolve("state"), "123456789012", "eu-west-1", Environment.devel);
    }

    /** A state as Terraform writes it, one instance per resource, with these attributes. */
    private static String state(String... resources) {
        StringBuilder s = new StringBuilder("{\"version\":4,\"serial\":7,\"outputs\":{\"table\":{\"value\":\"x\","
                + "\"type\":\"string\"}},\"resources\":[");
        for (int i = 0; i < resources.length; i += 2) {
            s.append(i == 0 ? "" : ",").append("{\"mode\":\"managed\",\"type\":\"").append(resources[i])
                    .append("\",\"name\":\"r").append(i).append("\",\"instances\":[{\"attributes\":")
                    .append(resources[i + 1]).append("}]}");
        }
        return s.append("]}").toString();
    }

    private boolean move(String state) throws IOException {
        Files.writeString(LocalStates.inWorkingCopy(root), state);
        return local.moveFromWorkingCopy(root, new PrintWriter(new StringWriter()));
    }

    @Test
    void aLegacyStateOfAnotherRegionIsNotMoved() throws IOException {
        String theirs = state("aws_cloudwatch_log_group", "{\"arn\":\"arn:aws:logs:us-east-2:123456789012:log-group:"
                + "/aws/lambda/pglogs-devel:*\"}", "aws_iam_role", "{\"arn\":\"arn:aws:iam::123456789012:role/x\"}");
        PreconditionException e = assertThrows(PreconditionException.class, () -> move(theirs));
        assertEquals("the local state " + LocalStates.inWorkingCopy(root) + " holds resources of account "
                + "123456789012, region us-east-2, not of account 123456789012, region eu-west-1 (the credentials and "
                + "region in use now): run again with the profile and AWS_REGION it was made with; nothing was moved",
                e.getMessage());
        assertEquals(theirs, Files.readString(LocalStates.inWorkingCopy(root)), "left as it was");
        assertFalse(Files.exists(local.directory()), "nothing made in the state directory");
    }

    @Test
    void aLegacyStateOfAnotherAccountIsNotMovedWhatTheDataSourcesSay() throws IOException {
        PreconditionException e = assertThrows(PreconditionException.class, () -> move(state(
                "aws_caller_identity", "{\"account_id\":\"210987654321\"}", "aws_region", "{\"name\":\"eu-west-1\"}")));
        assertTrue(e.getMessage().contains("holds resources of account 210987654321, region eu-west-1, not of account "
                + "123456789012"), e.getMessage());
        e = assertThrows(PreconditionException.class, () -> move(state("aws_region", "{\"region\":\"us-east-1\"}")));
        assertTrue(e.getMessage().contains("holds resources of account ?, region us-east-1,"), e.getMessage());
        assertFalse(Files.exists(local.file(root)));
    }

    @Test
    void aLegacyStateOfThisAccountAndRegionOrOfNoneMoves() throws IOException {
        String ours = state("aws_lambda_function", "{\"arn\":\"arn:aws:lambda:eu-west-1:123456789012:function:f\"}",
                "aws_iam_role_policy_attachment", "{\"arn\":\"arn:aws:iam::aws:policy/service-role/X\"}",
                "aws_s3_bucket", "{\"arn\":\"arn:aws:s3:::a-bucket\"}");
        assertTrue(move(ours));
        assertEquals(ours, Files.readString(local.file(root)));
        try (Stream<Path> files = Files.list(local.directory())) {
            assertEquals(List.of("collectors.pglogs.json", "collectors.tfstate"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary file left");
        }

        Files.delete(local.file(root));
        String none = state("terraform_data", "{\"id\":\"1\"}");
        assertTrue(move(none), "a state that names no account nor region moves as it is");
        assertEquals(none, Files.readString(local.file(root)));
    }

    @Test
    void aTemporaryFileLeftByAnotherRunIsNeitherUsedNorInTheWay() throws IOException {
        Files.createDirectories(local.directory());
        Files.writeString(local.directory().resolve("collectors.tfstate.partial"), "{\"half\":");
        String ours = state("terraform_data", "{\"id\":\"1\"}");
        assertTrue(move(ours));
        assertEquals(ours, Files.readString(local.file(root)));
        assertEquals("{\"half\":", Files.readString(local.directory().resolve("collectors.tfstate.partial")));
    }
}
