package io.pglogs.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A main class run in a fresh JVM of the same Java as the tests (so the on-java21/25 executions test those JVMs) and
 * the same class path, with exactly the environment given, fed {@code stdin}, its output captured. Nothing of this
 * JVM's environment reaches it: a PGLOGS_TIMEOUT_SECONDS or AWS_ENDPOINT_URL_DYNAMODB where the tests run would.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    public record Result(int exit, String out, String err) {
    }

    public static Result run(Map<String, String> env, String stdin, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = read(p.getInputStream());
        return new Result(p.waitFor(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
