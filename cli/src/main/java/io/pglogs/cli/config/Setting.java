package io.pglogs.cli.config;

import java.util.function.BiFunction;

/**
 * Every setting pglogs reads, with its config-file key, its environment variable and its default. Per-environment
 * settings have "%s" in their key and variable, filled with the environment's name.
 */
public enum Setting {
    REGION("region", "AWS_REGION", (ctx, env) -> ctx.env("AWS_DEFAULT_REGION")),
    PROFILE("profile", "AWS_PROFILE", (ctx, env) -> null),
    ENDPOINT_URL("endpoint_url", "AWS_ENDPOINT_URL", (ctx, env) -> null),
    ENV("env", "PGLOGS_ENV", (ctx, env) -> Environment.devel.name()),
    TERRAFORM_BINARY("terraform.binary", "PGLOGS_TERRAFORM", (ctx, env) -> null),
    TERRAFORM_DIR("terraform.dir", "PGLOGS_TERRAFORM_DIR", (ctx, env) -> ctx.home().resolve("terraform").toString()),
    /**
     * Where local Terraform states are kept, outside the installation (which an upgrade replaces): under it,
     * {@code <account>/<region>/<env>/<root>.tfstate}.
     */
    STATE_DIR("terraform.state_dir", "PGLOGS_STATE_DIR", (ctx, env) -> stateHome(ctx).resolve("pglogs").toString()),
    LAMBDA_JAR("lambda.jar", "PGLOGS_LAMBDA_JAR", (ctx, env) -> forwarderJar(ctx.home()).toString()),
    TABLE("%s.table", "PGLOGS_%s_TABLE", (ctx, env) -> "pglogs-" + env),
    FUNCTION("%s.function", "PGLOGS_%s_FUNCTION", (ctx, env) -> "pglogs-forwarder-" + env),
    RDS_INSTANCES("%s.rds_instances", "PGLOGS_%s_RDS_INSTANCES", (ctx, env) -> ""),
    AURORA_CLUSTERS("%s.aurora_clusters", "PGLOGS_%s_AURORA_CLUSTERS", (ctx, env) -> ""),
    /** The servers' log_timezone: the forwarder's PGLOGS_LOG_TIMEZONE, and import's and backfill's default. */
    LOG_TIMEZONE("%s.log_timezone", "PGLOGS_%s_LOG_TIMEZONE", (ctx, env) -> "UTC"),
    RDS_AUTO_NAME("%s.rds_auto_name", "PGLOGS_%s_RDS_AUTO_NAME", (ctx, env) -> null),
    RDS_AUTO_TAG("%s.rds_auto_tag", "PGLOGS_%s_RDS_AUTO_TAG", (ctx, env) -> null),
    ACCOUNT_ID("%s.account_id", "PGLOGS_%s_ACCOUNT_ID", (ctx, env) -> null),
    STATE_BUCKET("%s.state_bucket", "PGLOGS_%s_STATE_BUCKET", (ctx, env) -> null),
    STATE_KEY("%s.state_key", "PGLOGS_%s_STATE_KEY", (ctx, env) -> "pglogs/" + env),
    STATE_REGION("%s.state_region", "PGLOGS_%s_STATE_REGION", (ctx, env) -> null),
    STATE_LOCK_TABLE("%s.state_lock_table", "PGLOGS_%s_STATE_LOCK_TABLE", (ctx, env) -> null),
    /** How the table stores entries (entries or compact): Terraform's storage_format, chosen with the table. */
    STORAGE("%s.storage", "PGLOGS_%s_STORAGE", (ctx, env) -> null),
    /**
     * What the writers redact (none, passwords, literals; true/false as before levels): Terraform's redact, published
     * as the table's pglogs:redact tag. Unset, the root's own value stands. Read with {@link RedactSetting}.
     */
    REDACT("%s.redact", "PGLOGS_%s_REDACT", (ctx, env) -> null),
    /**
     * Whether the writers store summary items (auto, on, off): Terraform's summaries, published as the table's
     * pglogs:summaries tag. Unset, an existing table keeps its own, a new one gets auto. Read with
     * {@link SummariesSetting}.
     */
    SUMMARIES("%s.summaries", "PGLOGS_%s_SUMMARIES", (ctx, env) -> null);

    private final String key;
    private final String variable;
    private final BiFunction<Host, Environment, String> fallback;

    Setting(String key, String variable, BiFunction<Host, Environment, String> fallback) {
        this.key = key;
        this.variable = variable;
        this.fallback = fallback;
    }

    public boolean perEnvironment() {
        return key.contains("%s");
    }

    public String key(Environment env) {
        return perEnvironment() ? String.format(key, env.name()) : key;
    }

    public String variable(Environment env) {
        return perEnvironment() ? String.format(variable, env.name().toUpperCase(java.util.Locale.ROOT)) : variable;
    }

    String fallback(Host ctx, Environment env) {
        return fallback.apply(ctx, env);
    }

    /** $XDG_STATE_HOME when it is an absolute path (the XDG spec ignores any other), else ~/.local/state. */
    private static java.nio.file.Path stateHome(Host ctx) {
        String xdg = ctx.env("XDG_STATE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return java.nio.file.Path.of(xdg);
        }
        return ctx.userHome().resolve(".local").resolve("state");
    }

    /** Where the forwarder jar is: lib/ of an installed archive, else where the build writes it in a checkout. */
    private static java.nio.file.Path forwarderJar(java.nio.file.Path home) {
        java.nio.file.Path installed = home.resolve("lib/pglogs-forwarder.jar");
        return java.nio.file.Files.isRegularFile(installed) ? installed
                : home.resolve("lambda/target/pglogs-forwarder.jar");
    }

    /** The file key with "&lt;env&gt;" for the environment, as documented. */
    public String documentedKey() {
        return perEnvironment() ? String.format(key, "<env>") : key;
    }
}
