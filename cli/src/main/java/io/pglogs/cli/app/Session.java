package io.pglogs.cli.app;

import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Host;
import io.pglogs.cli.config.RedactSetting;
import io.pglogs.cli.config.SummariesSetting;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.error.BadSettingException;
import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.ingest.DeployedSettings;
import io.pglogs.cli.local.LocalState;
import io.pglogs.cli.query.TableLayout;
import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.table.DeployedTable;
import io.pglogs.cli.table.TableTags;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.Redaction;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one command knows of one environment, opened once and shared by the use cases it calls: the settings and
 * where each came from, the AWS clients (made on first use, after the account check), the log table with its tags
 * (read once), the writing settings, and the instances and clusters the environment collects from (resolved once,
 * {@code auto} included). Closing it closes the clients.
 */
public final class Session implements AutoCloseable {
    private final Host host;
    private final Settings settings;
    private final Environment env;
    private final AwsFlags flags;
    private AwsClients clients;
    private Optional<DeployedTable> table;
    private CollectedDatabases databases;
    /** --table as typed (a reader of another pglogs table than {@code <env>.table}), or null. */
    private String tableFlag;

    private Session(Host host, Settings settings, Environment env, AwsFlags flags) {
        this.host = host;
        this.settings = settings;
        this.env = env;
        this.flags = flags;
    }

    /** A session for {@code env}; nothing is read or called until a use case asks. */
    public static Session open(Host host, Settings settings, Environment env, AwsFlags flags) {
        return new Session(host, settings, env, flags);
    }

    public Host host() {
        return host;
    }

    public Settings settings() {
        return settings;
    }

    public Environment env() {
        return env;
    }

    public Settings.Value setting(Setting setting) {
        return settings.get(setting, env);
    }

    public String tableName() {
        return settings.get(Setting.TABLE, env, "--table", tableFlag).value();
    }

    /**
     * Reads {@code name} instead of {@code <env>.table} (--table of query and tail): any pglogs table, such as the one
     * an environment moved away from, read by its own tags. Only before the table is first read.
     */
    public synchronized Session readingTable(String name) {
        if (table != null) {
            throw new IllegalStateException("the table was read already");
        }
        tableFlag = name;
        return this;
    }

    /** Whether this session calls the local pipeline of 'pglogs local up' (--local). */
    public boolean local() {
        return flags.local();
    }

    public String functionName() {
        return setting(Setting.FUNCTION).value();
    }

    public Settings.Value region() {
        if (flags.local()) {
            return new Settings.Value(Setting.REGION.key(env), LocalState.REGION, "--local");
        }
        return settings.get(Setting.REGION, env, "--region", flags.region());
    }

    public Settings.Value profile() {
        if (flags.local()) {
            return new Settings.Value(Setting.PROFILE.key(env), null, "--local");
        }
        return settings.get(Setting.PROFILE, env, "--profile", flags.profile());
    }

    public Settings.Value endpointUrl() {
        if (flags.local()) {
            return new Settings.Value(Setting.ENDPOINT_URL.key(env), LocalState.running(host).endpoint(), "--local");
        }
        return settings.get(Setting.ENDPOINT_URL, env, "--endpoint-url", flags.endpointUrl());
    }

    /** Credentials a child process (terraform) needs beyond what the environment has: the emulator's, with --local. */
    public Map<String, String> credentialEnvironment() {
        return flags.local() ? LocalState.CREDENTIALS : Map.of();
    }

    /** {@code <env>.account_id}, checked to be an account id (exit 2 otherwise). */
    public Settings.Value accountId() {
        Settings.Value account = setting(Setting.ACCOUNT_ID);
        if (account.isSet() && !account.value().matches("\\d{12}")) {
            throw new BadSettingException(account.key() + " '" + account.value() + "' (" + account.source()
                    + ") is not an AWS account id (12 digits)" + (account.value().matches("(?s).*\\s#.*")
                    ? "; a properties file keeps an end-of-line comment in the value: put it on a line of its own"
                    : ""));
        }
        return account;
    }

    /**
     * The clients, made on first use once their credentials are known to act on {@code <env>.account_id} when that
     * is set: every use case gets its clients here, so none acts on another account.
     */
    public synchronized AwsClients aws() {
        if (clients == null) {
            Settings.Value account = accountId();
            Map<String, String> environment = new HashMap<>(host.variables());
            environment.putAll(credentialEnvironment());
            AwsClients made = AwsClients.create(region(), profile(), endpointUrl(), environment);
            if (account.isSet()) {
                try {
                    made.requireAccount(account);
                } catch (RuntimeException e) {
                    made.close();
                    throw e;
                }
            }
            clients = made;
        }
        return clients;
    }

    /**
     * The account these credentials act on: {@code <env>.account_id} once the credentials are checked against it,
     * else STS's answer (asked once).
     */
    public String account() {
        Settings.Value account = accountId();
        AwsClients aws = aws();
        return account.isSet() ? account.value() : aws.identity().account();
    }

    /** The environment's log table with its tags, read once; empty when it does not exist. */
    public synchronized Optional<DeployedTable> table() {
        if (table == null) {
            table = DeployedTable.read(aws().dynamoDb(), tableName());
            if (tableFlag != null) {
                requireLogTable(table);
            }
        }
        return table;
    }

    /** A table named by --table must be a pglogs table, since its readers follow its tags (exit 2 otherwise). */
    private void requireLogTable(Optional<DeployedTable> named) {
        if (named.isEmpty()) {
            throw new BadSettingException("--table " + tableFlag + ": no such table" + (region().isSet()
                    ? " in " + region().value() : "") + " (" + env + "'s own is " + setting(Setting.TABLE).value()
                    + ")");
        }
        if (!named.get().isLogTable()) {
            throw new BadSettingException("--table " + tableFlag + " is not a pglogs table (no pglogs:* tags and "
                    + "pk/sk keys): pglogs reads only tables persistent_data made");
        }
    }

    /** The table, or a failure naming it and how to make it. */
    public DeployedTable existingTable() {
        return table().orElseThrow(() -> new FailureException("table " + tableName() + " (" + env
                + ") does not exist: pglogs start " + env));
    }

    /** The shard count and storage format the table publishes; a missing table or an unreadable tag is named. */
    public TableLayout layout() {
        try {
            return TableLayout.of(existingTable());
        } catch (IllegalArgumentException e) {
            throw new FailureException("table " + tableName() + " (" + env + ") has a tag readers cannot "
                    + "follow: " + e.getMessage());
        }
    }

    /**
     * The TTL, shards, redaction and format this environment's deployment writes with (table tags, function
     * environment), for the CLI's own writers.
     */
    public DeployedSettings writing() {
        return DeployedSettings.of(existingTable(), DeployedSettings.functionEnvironment(aws().lambda(),
                functionName()), functionName(), env.name());
    }

    /** The format {@code <env>.storage} asks for, when it is set; a bad value is exit 2. */
    public Optional<StorageFormat> requestedStorage() {
        Settings.Value v = setting(Setting.STORAGE);
        if (!v.isSet()) {
            return Optional.empty();
        }
        try {
            return Optional.of(TableTags.storageFormat(v.value()));
        } catch (IllegalArgumentException e) {
            throw new BadSettingException(v.key() + " '" + v.value() + "' (" + v.source()
                    + ") is not a storage format: use entries (one item per entry) or compact");
        }
    }

    /** The level {@code <env>.redact} asks for, when it is set; a bad value is exit 2. */
    public Optional<Redaction> requestedRedaction() {
        return RedactSetting.of(settings, env);
    }

    /** Whether {@code <env>.summaries} asks for summaries (auto, on, off), when it is set; a bad value is exit 2. */
    public Optional<SummariesSetting.Choice> requestedSummaries() {
        return SummariesSetting.of(settings, env);
    }

    /**
     * The instances and clusters the environment collects from: the one resolver every command uses, so
     * {@code auto} means the same to start, stop, status and retention.
     */
    public synchronized CollectedDatabases databases() {
        if (databases == null) {
            databases = CollectedDatabases.resolve(settings, env, () -> aws().rds());
        }
        return databases;
    }

    @Override
    public synchronized void close() {
        if (clients != null) {
            clients.close();
            clients = null;
        }
    }
}
