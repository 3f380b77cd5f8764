package io.pglogs.cli.terraform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.error.BadSettingException;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an environment's Terraform state lives: a local file per root in the state directory, outside the
 * installation (the default, see {@link LocalStates}), or one S3 object per root under {@code <env>.state_key}, locked
 * with a DynamoDB table, shared by every machine that deploys the environment.
 *
 * <p>The local file's place is given to the committed {@code backend "local" {}} at {@code init} as
 * {@code -backend-config=path=...}; Terraform records it in the working copy, so later commands use it too.
 *
 * <p>The committed roots declare {@code backend "local" {}}, and OpenTofu takes {@code -backend-config} only for the
 * backend type the configuration declares. So with S3 settings pglogs writes {@value #OVERRIDE_FILE} (gitignored)
 * into each root, declaring an empty {@code backend "s3" {}}; everything else is given at {@code init} with
 * {@code -backend-config}. Without them pglogs removes that file again, and the roots are exactly as committed.
 */
public final class StateBackend {
    public static final String OVERRIDE_FILE = "pglogs_backend_override.tf";
    private static final ObjectMapper JSON = new ObjectMapper();
    // S3's rules for new buckets: 3-63 lower-case letters, digits, dots and hyphens, starting and ending alphanumeric.
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    private final String bucket;
    private final String prefix;
    private final String region;
    private final String lockTable;
    private final String endpoint;
    private final String profile;
    private final String deployedRegion;
    private java.util.function.Supplier<LocalStates> localStates = () -> {
        throw new IllegalStateException("the place of the local states was not given");
    };
    private LocalStates local;
    private Predicate<String> objectExists = key -> {
        throw new IllegalStateException("no way to look into the state bucket was given");
    };

    private StateBackend(String bucket, String prefix, String region, String lockTable, String endpoint,
                         String profile, String deployedRegion) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.region = region;
        this.lockTable = lockTable;
        this.endpoint = endpoint;
        this.profile = profile;
        this.deployedRegion = deployedRegion;
    }

    /**
     * @param awsRegion the environment's region: the state's too unless {@code <env>.state_region} says otherwise
     * @param endpoint  the emulator endpoint every AWS call goes to, when one is set
     * @param profile   the named profile pglogs uses, which the backend then uses too
     * @throws BadSettingException when a state setting cannot be used
     */
    public static StateBackend resolve(Settings settings, Environment env, Settings.Value awsRegion,
                                       Settings.Value endpoint, Settings.Value profile) {
        Settings.Value bucket = settings.get(Setting.STATE_BUCKET, env);
        Settings.Value key = settings.get(Setting.STATE_KEY, env);
        Settings.Value region = settings.get(Setting.STATE_REGION, env);
        Settings.Value lock = settings.get(Setting.STATE_LOCK_TABLE, env);
        if (!bucket.isSet()) {
            for (Settings.Value v : new Settings.Value[] {region, lock, key}) {
                if (v.isSet() && !v.source().equals("default")) {
                    throw new BadSettingException(v.key() + " (" + v.source() + ") needs " + bucket.key()
                            + ": without a bucket the state is local");
                }
            }
            return new StateBackend(null, null, null, null, null, null, null);
        }
        if (!BUCKET.matcher(bucket.value()).matches() || bucket.value().contains("..")) {
            throw new BadSettingException(bucket.key() + " '" + bucket.value() + "' (" + bucket.source()
                    + ") is not an S3 bucket name");
        }
        String prefix = key.value().replaceAll("/+$", "");
        if (prefix.isEmpty() || prefix.startsWith("/") || prefix.contains("//")) {
            throw new BadSettingException(key.key() + " '" + key.value() + "' (" + key.source() + ") must be a key "
                    + "prefix such as pglogs/" + env + ", without a leading slash");
        }
        if (lock.isSet() && !TABLE.matcher(lock.value()).matches()) {
            throw new BadSettingException(lock.key() + " '" + lock.value() + "' (" + lock.source()
                    + ") is not a DynamoDB table name");
        }
        Settings.Value stateRegion = region.isSet() ? region : awsRegion;
        if (!stateRegion.isSet()) {
            throw new BadSettingException(bucket.key() + " is set but the state's region is not: set "
                    + region.key() + " or the environment's region");
        }
        refuseSharingWithTheOtherEnvironment(settings, env, bucket.value(), prefix);
        return new StateBackend(bucket.value(), prefix, stateRegion.value(), lock.isSet() ? lock.value() : null,
                endpoint.isSet() ? endpoint.value() : null, profile.isSet() ? profile.value() : null,
                (awsRegion.isSet() ? awsRegion : stateRegion).value());
    }

    /** Two environments under one key would each plan the other's resources away. */
    private static void refuseSharingWithTheOtherEnvironment(Settings settings, Environment env, String bucket,
                                                             String prefix) {
        for (Environment other : Environment.values()) {
            if (other == env) {
                continue;
            }
            Settings.Value otherBucket = settings.get(Setting.STATE_BUCKET, other);
            Settings.Value otherKey = settings.get(Setting.STATE_KEY, other);
            if (otherBucket.isSet() && otherBucket.value().equals(bucket)
                    && otherKey.value().replaceAll("/+$", "").equals(prefix)) {
                throw new BadSettingException(Setting.STATE_KEY.key(env) + " and " + otherKey.key() + " are both '"
                        + prefix + "' in bucket " + bucket + ": each environment needs a key of its own");
            }
        }
    }

    /** Whether OpenTofu/Terraform of this version locks an S3 state with a lock object of its own (1.10 on). */
    public static boolean supportsLockFile(String version) {
        Matcher m = Pattern.compile("v?(\\d+)\\.(\\d+)").matcher(version);
        if (!m.lookingAt()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        return major > 1 || (major == 1 && Integer.parseInt(m.group(2)) >= 10);
    }

    /** Gives this backend the way to ask S3 whether an object exists under a key of its bucket. */
    public StateBackend lookingWith(Predicate<String> objectExists) {
        this.objectExists = objectExists;
        return this;
    }

    /**
     * Gives this backend the place of the local states, found on first use (it needs the account, which may take
     * a call to AWS: bad settings are refused before that).
     */
    public StateBackend withLocalStates(java.util.function.Supplier<LocalStates> localStates) {
        this.localStates = localStates;
        return this;
    }

    /** Where local states are kept for this account, region and environment. */
    public synchronized LocalStates local() {
        if (local == null) {
            local = localStates.get();
        }
        return local;
    }

    /** Whether the bucket already holds a state for {@code root}: one a copy of another state would replace. */
    public boolean holdsState(Path root) {
        return shared() && objectExists.test(key(root));
    }

    public boolean shared() {
        return bucket != null;
    }

    /**
     * The S3 key of a root's state: {@code <prefix>/<region>/persistent_data.tfstate} or {@code .../collectors.tfstate}.
     * The region is in it because a root's state describes one region's resources: the same environment deployed with
     * another region must not refresh (and so forget) the first region's resources.
     */
    public String key(Path root) {
        return prefix + "/" + deployedRegion + "/" + root.getParent().getFileName() + ".tfstate";
    }

    public String bucket() {
        return bucket;
    }

    public String region() {
        return region;
    }

    public boolean locked() {
        return lockTable != null;
    }

    /** Where the state of {@code root} is, in words. */
    public String describe(Path root) {
        if (!shared()) {
            return "local file " + local().file(root) + " (this machine only)";
        }
        return "s3://" + bucket + "/" + key(root) + " (region " + region + ", "
                + (lockTable == null ? "no lock table: concurrent runs are not prevented" : "locked with DynamoDB table "
                + lockTable) + ")";
    }

    /** Writes or removes {@value #OVERRIDE_FILE} in {@code root}, so the root declares the backend wanted. */
    public void prepare(Path root) {
        Path file = root.resolve(OVERRIDE_FILE);
        try {
            if (shared()) {
                Files.writeString(file, "# Written by pglogs because state settings are set (see docs/operator-guide.md)."
                        + " Not committed.\nterraform {\n  backend \"s3\" {}\n}\n", StandardCharsets.UTF_8);
            } else {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The contents of the file given to {@code init -backend-config}. With an emulator endpoint the backend talks to it
     * too, path-style, and skips the checks only real AWS can answer.
     *
     * @param lockFile the binary locks with S3's own lock object (OpenTofu/Terraform 1.10 and later)
     */
    public String backendConfig(Path root, boolean lockFile) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("bucket", bucket);
        c.put("key", key(root));
        c.put("region", region);
        c.put("encrypt", true);
        if (lockTable != null) {
            c.put("dynamodb_table", lockTable);
        }
        if (lockFile) {
            c.put("use_lockfile", true);
        }
        if (profile != null) {
            c.put("profile", profile);
        }
        StringBuilder hcl = new StringBuilder();
        c.forEach((k, v) -> hcl.append(k).append(" = ").append(literal(v)).append('\n'));
        if (endpoint != null) {
            hcl.append("endpoints = {\n");
            for (String service : new String[] {"s3", "dynamodb", "sts", "iam"}) {
                hcl.append("  ").append(service).append(" = ").append(literal(endpoint)).append('\n');
            }
            hcl.append("}\nuse_path_style = true\nskip_credentials_validation = true\nskip_metadata_api_check = true\n");
        }
        return hcl.toString();
    }

    /**
     * The state a working copy was initialised with, when it differs from the one wanted now.
     *
     * @param localFile the local state file it used (null: it used S3)
     */
    public record Change(boolean fromLocal, String from, Path localFile) {
    }

    /**
     * How the backend recorded in the root's working copy ({@code .terraform/terraform.tfstate}) differs from this
     * one, or empty when it is the same or the root was never initialised.
     */
    public Optional<Change> changeFrom(Path root) {
        Optional<JsonNode> recorded = recorded(root);
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        JsonNode backend = recorded.get();
        String type = backend.path("type").asText();
        JsonNode config = backend.path("config");
        Path localFile = type.equals("s3") ? null : recordedLocalFile(root, config);
        String was = type.equals("s3")
                ? "s3://" + config.path("bucket").asText() + "/" + config.path("key").asText() + " (region "
                        + config.path("region").asText() + ", lock table "
                        + config.path("dynamodb_table").asText("none") + ")"
                : "local file " + localFile;
        boolean same = shared()
                ? type.equals("s3") && bucket.equals(config.path("bucket").asText())
                        && key(root).equals(config.path("key").asText())
                        && region.equals(config.path("region").asText())
                        && Objects.equals(lockTable, textOrNull(config.path("dynamodb_table")))
                        && Objects.equals(endpoint, textOrNull(config.path("endpoints").path("s3")))
                : type.equals("local") && localFile.equals(local().file(root));
        return same ? Optional.empty() : Optional.of(new Change(!type.equals("s3"), was, localFile));
    }

    /** The local state file the root's working copy uses now (its own terraform.tfstate when no path was given). */
    public static Optional<Path> recordedLocalFile(Path root) {
        return recorded(root).filter(b -> !b.path("type").asText().equals("s3"))
                .map(b -> recordedLocalFile(root, b.path("config")));
    }

    private static Path recordedLocalFile(Path root, JsonNode config) {
        String path = textOrNull(config.path("path"));
        return path == null ? LocalStates.inWorkingCopy(root) : root.resolve(path).toAbsolutePath().normalize();
    }

    private static Optional<JsonNode> recorded(Path root) {
        Path file = root.resolve(".terraform").resolve("terraform.tfstate");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(file.toFile()).path("backend"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String textOrNull(JsonNode n) {
        return n.isMissingNode() || n.isNull() || n.asText().isEmpty() ? null : n.asText();
    }

    private static String literal(Object v) {
        if (v instanceof Boolean) {
            return v.toString();
        }
        try {
            return JSON.writeValueAsString(v.toString()); // a JSON string is a valid HCL string for these values
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
