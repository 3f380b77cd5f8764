package io.pglogs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Copies of the test roots (built-in terraform_data only) and a look at their state through the real binary. */
final class TerraformFixtures {
    private TerraformFixtures() {
    }

    /** A terraform/ tree with persistent_data and collectors roots for devel and prod, from one fixture per kind. */
    static Path copy(Path to) throws IOException {
        Path from = Path.of("src/test/resources/tf-fixtures").toAbsolutePath();
        for (String kind : List.of("persistent_data", "collectors")) {
            for (String env : List.of("devel", "prod")) {
                Path root = Files.createDirectories(to.resolve(kind).resolve("manage_" + env));
                Files.copy(from.resolve(kind).resolve("main.tf"), root.resolve("main.tf"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(from.resolve("fixture_aws.py"), to.resolve("fixture_aws.py"), StandardCopyOption.REPLACE_EXISTING);
        return to;
    }

    /** Resource addresses in a root's state, read with "tofu state list". */
    static List<String> state(Path root) {
        String out = run(root, "state", "list");
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    /** "tofu show -json" of a root's state. */
    static JsonNode show(Path root) {
        try {
            return new ObjectMapper().readTree(run(root, "show", "-json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(Path root, String... args) {
        return run(root, null, args);
    }

    /**
     * Runs tofu in {@code root} and returns its stdout; fails with its stderr when it exits non-zero.
     *
     * @param env the child's whole environment, or null for a plain {@link TestCli}'s (never this JVM's)
     */
    static String run(Path root, java.util.Map<String, String> env, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of(TestCli.tofu()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = TestCli.process(env != null ? env : new TestCli().env, cmd).directory(root.toFile());
            // stderr goes to a file, so a child that writes much of it cannot block while stdout is read.
            Path errors = Files.createTempFile("tofu-", ".err");
            pb.redirectError(ProcessBuilder.Redirect.to(errors.toFile()));
            Process p = pb.start();
            p.getOutputStream().close();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes());
            }
            int code = p.waitFor();
            String err = Files.readString(errors);
            Files.delete(errors);
            if (code != 0) {
                if (err.contains("No state file was found")) {
                    return "";
                }
                throw new IllegalStateException("tofu " + String.join(" ", args) + " failed in " + root + ": " + err);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
