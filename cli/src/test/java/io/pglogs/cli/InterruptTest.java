package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C, or a CI runner's SIGTERM, during an apply: pglogs (a real JVM, a real signal) lets Terraform stop cleanly
 * and exits 130.
 */
@Tag("integration")
class InterruptTest {
    @TempDir
    Path tmp;

    @Test
    void anInterruptMidApplyLeavesAUsableUnlockedState() throws Exception {
        stopMidApply("ap-southeast-3", List.of(), "INT",
                "pglogs: interrupt received; letting tofu stop and save its state");
    }

    @Test
    void aSigtermMidApplyDoesTheSameEvenWhenSigintWasIgnoredFromTheStart() throws Exception {
        // A CI runner cancels with SIGTERM, and may start its jobs with SIGINT ignored: pglogs keeps ignoring SIGINT,
        // its child inherits the ignored SIGINT, and must still act on the one SIGINT pglogs forwards.
        stopMidApply("ap-south-1", List.of("/usr/bin/env", "--ignore-signal=INT"), "TERM",
                "pglogs: SIGTERM received; letting tofu stop and save its state");
    }

    private void stopMidApply(String region, List<String> launcher, String signal, String announcement)
            throws Exception {
        Path dir = TerraformFixtures.copy(tmp.resolve("terraform"));
        Path collectors = dir.resolve("collectors/manage_devel");
        Files.writeString(collectors.resolve("sleep.auto.tfvars"), "sleep_seconds = 30\n");
        Path jar = Files.writeString(tmp.resolve("f.jar"), "x");

        MotoRegion aws = new MotoRegion(region);
        aws.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/orders-db/postgresql"));
        TestCli cli = aws.cli().withTerraform();
        cli.terraformDir(dir);
        cli.env.put("PGLOGS_LAMBDA_JAR", jar.toString());
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db");
        cli.env.put("HOME", tmp.toString());
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "start", "devel", "--no-color"));
        ProcessBuilder pb = cli.process(command);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuilder output = new StringBuilder();
        CountDownLatch provisioning = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.contains("Provisioning with 'local-exec'")) {
                        provisioning.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // process ended
            }
        });
        reader.start();
        assertTrue(provisioning.await(60, TimeUnit.SECONDS), "apply never reached the slow step:\n" + output);
        long signalledAt = System.nanoTime();
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "pglogs did not exit after SIG" + signal + ":\n" + output);
        reader.join(5_000);
        long seconds = (System.nanoTime() - signalledAt) / 1_000_000_000;
        String all;
        synchronized (output) {
            all = output.toString();
        }
        assertEquals(130, p.exitValue(), all);
        assertTrue(seconds < 25, "waited " + seconds + " s: the signal did not stop the 30 s step");
        assertTrue(all.contains(announcement), all);
        assertTrue(all.contains("Interrupt received."), "tofu itself got exactly one interrupt:\n" + all);
        assertFalse(all.contains("Two interrupts received"), all);
        assertTrue(all.contains("was interrupted and has exited (code "), all);
        Path states = TestCli.stateHome(dir).resolve("pglogs/123456789012/" + region + "/devel");
        assertTrue(Files.exists(states.resolve("collectors.tfstate")), "the state is kept outside the working copy");
        assertFalse(Files.exists(states.resolve(".collectors.tfstate.lock.info")), "the state is still locked");

        // Usable: the next start completes what was interrupted.
        Files.delete(collectors.resolve("sleep.auto.tfvars"));
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("terraform_data.check", "terraform_data.function"),
                TerraformFixtures.state(collectors));
    }
}
