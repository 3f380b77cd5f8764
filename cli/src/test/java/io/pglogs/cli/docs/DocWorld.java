package io.pglogs.cli.docs;

import io.pglogs.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The account and machine the docs assume (see DocExamplesRunTest), made once before the first command: what is
 * seeded, and nothing the commands themselves are to make.
 */
final class DocWorld implements AutoCloseable {
    static final Region REGION = Region.EU_WEST_1;
    static final List<String> INSTANCES = List.of("orders-db", "billing-db", "orders-db-staging");
    static final String CLUSTER = "reporting";
    /** A real PostgreSQL 15 server's log (scripts/pg-corpus, checked in), RDS prefix, whole entries. */
    private static final String CORPUS = "lambda/src/test/resources/corpus/postgresql.log";
    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Path repo;
    private final Path checkout;
    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private final List<InputLogEvent> events;
    private final CloudWatchLogsClient logs;
    private int deliveries;

    private DocWorld(Path repo, Path checkout, Path home, List<InputLogEvent> events, MotoServer moto) {
        this.repo = repo;
        this.checkout = checkout;
        this.home = home;
        this.events = events;
        this.logs = moto.configure(CloudWatchLogsClient.builder()).region(REGION).build();
    }

    Path checkout() {
        return checkout;
    }

    Path home() {
        return home;
    }

    /** The operator's shell: what pglogs and Terraform need, nothing of this JVM's AWS settings. */
    Map<String, String> environment() {
        return env;
    }

    static DocWorld seed(Path repo, Path tmp, MotoServer moto) throws IOException {
        Path checkout = checkout(repo, tmp.resolve("pglogs"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        DocWorld w = new DocWorld(repo, checkout, home, recentEvents(repo, 300), moto);
        w.shell(tmp, moto);
        w.account(moto);
        w.files();
        return w;
    }

    /** A directory laid out like the checkout: its parts linked, terraform/ copied (the examples apply it). */
    private static Path checkout(Path repo, Path to) throws IOException {
        Files.createDirectories(to);
        for (String part : List.of("bin", "scripts", "completions", "docs", "cli", "lambda", "README.md")) {
            Files.createSymbolicLink(to.resolve(part), repo.resolve(part));
        }
        copyTerraform(repo.resolve("terraform"), to.resolve("terraform"));
        try (Stream<Path> archives = Files.list(repo.resolve("cli/target"))) {
            for (Path a : archives.filter(p -> p.getFileName().toString().matches("pglogs-.*\\.tar\\.gz")).toList()) {
                Files.createSymbolicLink(to.resolve(a.getFileName()), a);
            }
        }
        return to;
    }

    private static void copyTerraform(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path rel = from.relativize(f);
                String first = rel.getNameCount() > 0 ? rel.getName(0).toString() : "";
                if (first.equals("src") || first.equals("target") || first.equals("pom.xml")
                        || rel.toString().contains(".terraform") || rel.toString().contains(".tfstate")
                        || rel.toString().contains("pglogs_backend_override")) {
                    continue;
                }
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to.resolve(rel.toString()));
                } else {
                    Files.copy(f, to.resolve(rel.toString()));
                }
            }
        }
    }

    private void shell(Path tmp, MotoServer moto) throws IOException {
        Path tools = Files.createDirectories(tmp.resolve("tools"));
        String tofu = System.getProperty("pglogs.tofu", "");
        if (tofu.isBlank()) {
            throw new IllegalStateException("pglogs.tofu is not set: run scripts/test, which installs OpenTofu");
        }
        Files.createSymbolicLink(tools.resolve("tofu"), Path.of(tofu));
        env.put("PATH", tools + ":" + home.resolve(".local/bin") + ":" + Path.of(System.getProperty("java.home"), "bin")
                + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("LANG", "C.UTF-8");
        env.put("NO_COLOR", "1");
        env.put("TERM", "dumb");
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        env.put("AWS_REGION", REGION.id());
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("PGLOGS_TERRAFORM_DIR", checkout.resolve("terraform").toString());
        String tfrc = System.getProperty("pglogs.tfrc", "");
        if (!tfrc.isBlank()) {
            env.put("TF_CLI_CONFIG_FILE", tfrc);
        }
        for (String pass : List.of("PGLOGS_PROVIDER_SOURCE", "PGLOGS_TOOLS", "GOPATH", "GOMODCACHE", "GOCACHE")) {
            String v = System.getenv(pass);
            if (v != null) {
                env.put(pass, v);
            }
        }
        // The tools scripts/setup-tools caches live under the real home unless PGLOGS_TOOLS says otherwise.
        env.putIfAbsent("PGLOGS_TOOLS", Path.of(System.getProperty("user.home"), ".cache/pglogs").toString());
        // A profile "ops" (README: pglogs --profile ops status prod), with the emulator's credentials.
        Path aws = Files.createDirectories(home.resolve(".aws"));
        Files.writeString(aws.resolve("credentials"),
                "[ops]\naws_access_key_id = testing\naws_secret_access_key = testing\n");
        Files.writeString(aws.resolve("config"), "[profile ops]\nregion = " + REGION.id() + "\n");
    }

    /** The databases, their log groups with the last hour's entries, prod's state bucket and lock table. */
    private void account(MotoServer moto) {
        try (RdsClient rds = moto.configure(RdsClient.builder()).region(REGION).build();
             S3Client s3 = moto.configure(S3Client.builder()).region(REGION).forcePathStyle(true).build();
             DynamoDbClient dynamo = moto.configure(DynamoDbClient.builder()).region(REGION).build()) {
            List<String> groups = new ArrayList<>();
            for (String id : INSTANCES) {
                rds.createDBInstance(b -> b.dbInstanceIdentifier(id).engine("postgres").engineVersion("15.4")
                        .dbInstanceClass("db.t3.micro").allocatedStorage(20).masterUsername("admin_user")
                        .masterUserPassword("a-long-password").enableCloudwatchLogsExports("postgresql"));
                groups.add("/aws/rds/instance/" + id + "/postgresql");
            }
            rds.createDBCluster(b -> b.dbClusterIdentifier(CLUSTER).engine("aurora-postgresql").engineVersion("15.4")
                    .masterUsername("admin_user").masterUserPassword("a-long-password")
                    .enableCloudwatchLogsExports("postgresql"));
            groups.add("/aws/rds/cluster/" + CLUSTER + "/postgresql");
            for (String g : groups) {
                // RDS makes the group with the first exported line; moto exports nothing, so it is made here.
                logs.createLogGroup(b -> b.logGroupName(g));
                String stream = g.split("/")[4] + ".0";
                logs.createLogStream(b -> b.logGroupName(g).logStreamName(stream));
                logs.putLogEvents(b -> b.logGroupName(g).logStreamName(stream).logEvents(events));
            }
            s3.createBucket(b -> b.bucket("acme-terraform-state")
                    .createBucketConfiguration(c -> c.locationConstraint(REGION.id())));
            s3.putBucketVersioning(b -> b.bucket("acme-terraform-state")
                    .versioningConfiguration(v -> v.status("Enabled")));
            dynamo.createTable(b -> b.tableName("terraform-locks").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(a -> a.attributeName("LockID").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("LockID").keyType(KeyType.HASH)));
        }
    }

    /**
     * The corpus' entries as CloudWatch events of the last hour: each entry's own time moved by one offset so that
     * the newest is {@code agoSeconds} old (the order and spacing PostgreSQL wrote them with stay).
     */
    private static List<InputLogEvent> recentEvents(Path repo, long agoSeconds) throws IOException {
        List<String> entries = entries(Files.readString(repo.resolve(CORPUS)));
        LocalDateTime last = LocalDateTime.parse(entries.get(entries.size() - 1).substring(0, 19), PG_TIME);
        long shift = ChronoUnit.SECONDS.between(last,
                LocalDateTime.ofInstant(Instant.now().minusSeconds(agoSeconds), ZoneOffset.UTC));
        List<InputLogEvent> events = new ArrayList<>();
        for (String e : entries) {
            LocalDateTime t = LocalDateTime.parse(e.substring(0, 19), PG_TIME).plusSeconds(shift);
            events.add(InputLogEvent.builder().timestamp(t.toInstant(ZoneOffset.UTC).toEpochMilli())
                    .message(PG_TIME.format(t) + e.substring(19)).build());
        }
        return events;
    }

    private static List<String> entries(String log) {
        List<String> entries = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*") || entries.isEmpty()) {
                entries.add(line);
            } else {
                entries.set(entries.size() - 1, entries.get(entries.size() - 1) + "\n" + line);
            }
        }
        return entries;
    }

    /**
     * The files the examples read, in the checkout: a log file as downloaded from RDS (the corpus as written, plain
     * and gzipped) and events.ndjson, a subscription event of orders-db's log for the forwarder's local runner.
     */
    private void files() throws IOException {
        byte[] log = Files.readAllBytes(repo.resolve(CORPUS));
        Files.write(checkout.resolve("postgresql.log.2024-05-01-10"), log);
        try (GZIPOutputStream gz = new GZIPOutputStream(
                Files.newOutputStream(checkout.resolve("postgresql.log.2024-05-01-10.gz")))) {
            gz.write(log);
        }
        Files.writeString(checkout.resolve("events.ndjson"), subscriptionEvent("orders-db", "orders-db.0") + "\n");
    }

    /**
     * A Lambda event as a CloudWatch subscription delivers INSTANCE's seeded log: its events as CloudWatch Logs has
     * them, event ids included (so a backfill of the same events overwrites, as on AWS).
     */
    private String subscriptionEvent(String instance, String stream) throws IOException {
        String group = "/aws/rds/instance/" + instance + "/postgresql";
        StringBuilder json = new StringBuilder("{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\","
                + "\"logGroup\":\"" + group + "\",\"logStream\":\"" + stream + "\",\"subscriptionFilters\":[\"pglogs-devel\"],\"logEvents\":[");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        String sep = "";
        for (var e : logs.filterLogEventsPaginator(b -> b.logGroupName(group).logStreamNames(stream)).events()) {
            json.append(sep).append("{\"id\":\"").append(e.eventId()).append("\",\"timestamp\":")
                    .append(e.timestamp()).append(",\"message\":").append(mapper.writeValueAsString(e.message()))
                    .append('}');
            sep = ",";
        }
        json.append("]}");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(json.toString().getBytes(StandardCharsets.UTF_8));
        }
        return "{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(bytes.toByteArray()) + "\"}}";
    }

    /**
     * A step of the test's own between two commands, as docs-examples.txt names it. "deliver INSTANCE to TABLE":
     * INSTANCE logs again (the corpus, re-timed to end now, as new events of a new stream of its log group), and
     * what the CloudWatch subscription does with them on AWS (moto runs no Java Lambda): the forwarder's own code,
     * through its local runner, stores them in TABLE.
     */
    void then(String step) throws IOException, InterruptedException {
        Matcher m = DocExamplesRunTest.deliver(step);
        if (!m.matches()) {
            throw new IllegalArgumentException("no such step: '" + step + "' (known: deliver INSTANCE to TABLE)");
        }
        String group = "/aws/rds/instance/" + m.group(1) + "/postgresql";
        String stream = m.group(1) + "." + (++deliveries);
        logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
        List<InputLogEvent> now = recentEvents(repo, 1);
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(now));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", repo.resolve("lambda/target/pglogs-forwarder.jar").toString()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("PGLOGS_TABLE", m.group(2));
        Path out = Files.createTempFile("deliver-", ".log");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write((subscriptionEvent(m.group(1), stream) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        int code = p.waitFor();
        String output = Files.readString(out);
        Files.delete(out);
        if (code != 0) {
            throw new IllegalStateException("'" + step + "' failed (exit " + code + "): " + output);
        }
    }

    /** Stops what an example left running (scripts/demo's pipeline). */
    @Override
    public void close() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(checkout.resolve("bin/pglogs").toString(), "local", "down")
                .directory(checkout.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.start().waitFor();
        logs.close();
    }
}
