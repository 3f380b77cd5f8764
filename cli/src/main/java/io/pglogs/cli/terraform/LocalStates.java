package io.pglogs.cli.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.error.PreconditionException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an environment's local Terraform states are kept: outside the installation, whose {@code terraform/} an
 * upgrade replaces, under {@code <state dir>/<account>/<region>/<env>/<root>.tfstate} (state dir:
 * {@code terraform.state_dir}, default {@code $XDG_STATE_HOME/pglogs}, i.e. {@code ~/.local/state/pglogs}).
 *
 * <p>Beside each state, {@code <root>.pglogs.json} records the account, region and environment it was made for. The
 * path already separates them, but a state directory can be copied, renamed, synced from another machine or linked
 * (or {@code terraform.state_dir} pointed at someone else's): a state refreshed against another account or region
 * than its own would forget every resource it made, so a record that disagrees is refused.
 */
public final class LocalStates {
    /** The name a local state the working copy held is given once it is copied to the state directory. */
    public static final String MOVED_SUFFIX = ".moved-to-state-dir";
    /** The name a local state is given once -migrate-state copied it to S3: kept, but never used again. */
    public static final String MOVED_TO_S3_SUFFIX = ".moved-to-s3";
    private static final ObjectMapper JSON = new ObjectMapper();
    // arn:<partition>:<service>:<region>:<account>:<resource>; region or account empty for global services.
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:[^:]*:([^:]*):([^:]*):.*", Pattern.DOTALL);
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    private final Path base;
    private final String account;
    private final String region;
    private final Environment env;

    /**
     * @param base    the state directory ({@code terraform.state_dir})
     * @param account the account the environment's credentials act on
     * @param region  the environment's region
     */
    public LocalStates(Path base, String account, String region, Environment env) {
        this.base = base.toAbsolutePath().normalize();
        this.account = account;
        this.region = region;
        this.env = env;
    }

    /** {@code <state dir>/<account>/<region>/<env>}. */
    public Path directory() {
        return base.resolve(account).resolve(region).resolve(env.name());
    }

    /** A root's local state: {@code <directory>/persistent_data.tfstate} for {@code .../persistent_data/manage_*}. */
    public Path file(Path root) {
        return directory().resolve(kind(root) + ".tfstate");
    }

    /** The record of the account, region and environment beside the state. */
    public Path record(Path root) {
        return directory().resolve(kind(root) + ".pglogs.json");
    }

    /** The state file a working copy kept by itself, in its root: where the local backend keeps it by default. */
    public static Path inWorkingCopy(Path root) {
        return root.resolve("terraform.tfstate");
    }

    /** Refuses the state at this place when its record says it was made for another account, region or environment. */
    public void refuseAnotherOwner(Path root) {
        Optional<JsonNode> recorded = readRecord(root);
        if (recorded.isEmpty()) {
            return;
        }
        JsonNode r = recorded.get();
        String hisAccount = r.path("account").asText();
        String hisRegion = r.path("region").asText();
        String hisEnv = r.path("environment").asText();
        if (!account.equals(hisAccount) || !region.equals(hisRegion) || !env.name().equals(hisEnv)) {
            throw new PreconditionException("the local state " + file(root) + " was made for account " + hisAccount
                    + ", region " + hisRegion + ", environment " + hisEnv + " (" + record(root) + "), not account "
                    + account + ", region " + region + ", environment " + env + ": its state directory was moved or "
                    + "copied; put it back under " + base.resolve(hisAccount).resolve(hisRegion).resolve(hisEnv)
                    + " (or fix terraform.state_dir); nothing was changed");
        }
    }

    /**
     * Refuses a local state for a root whose state this directory once held and then moved to S3: a shell that lost
     * the bucket setting would otherwise start a second, local state beside the real one (a fork).
     */
    public void refuseMovedToS3(Path root) {
        readRecord(root).map(r -> r.path("moved_to").asText("")).filter(s -> !s.isEmpty()).ifPresent(s3 -> {
            throw new PreconditionException("the state of " + where(root) + " was moved to " + s3 + " (" + record(root)
                    + "), but no state bucket is set now: set it again (see 'pglogs state show'); nothing was changed");
        });
    }

    /**
     * A local state that init -migrate-state has just copied to S3 is renamed aside (Terraform leaves it as it was),
     * and the record beside it, when there is one, says where it went: so that neither a new working copy nor a shell
     * without the bucket setting ever takes the stale copy for the state.
     *
     * @return the name it was given
     */
    public static Path markMovedToS3(Path stateFile, String s3) {
        try {
            Path aside = unused(stateFile.resolveSibling(stateFile.getFileName() + MOVED_TO_S3_SUFFIX));
            Files.move(stateFile, aside);
            Optional<JsonNode> record = recordBeside(stateFile);
            if (record.isPresent() && record.get() instanceof ObjectNode r) {
                r.put("moved_to", s3);
                String name = stateFile.getFileName().toString();
                Files.writeString(stateFile.resolveSibling(name.substring(0, name.length() - ".tfstate".length())
                        + ".pglogs.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n");
            }
            return aside;
        } catch (IOException e) {
            throw new UncheckedIOException("the state was copied to " + s3 + ", but " + stateFile + " could not be "
                    + "renamed aside: rename it to " + stateFile.getFileName() + MOVED_TO_S3_SUFFIX + " ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * A root whose working copy still holds a local state with resources (made before states were kept here, or
     * carried over by the installer) has it copied here, and the original renamed aside, never deleted. A state
     * already here is never replaced.
     *
     * @return true when a state was moved
     */
    public boolean moveFromWorkingCopy(Path root, PrintWriter out) {
        Path old = inWorkingCopy(root);
        if (!holdsResources(old)) {
            return false;
        }
        refuseLegacyOfAnotherOwner(old);
        Path target = file(root);
        if (Files.exists(target)) {
            throw new PreconditionException("both " + old + " and " + target + " hold a Terraform state of "
                    + where(root) + ", and pglogs uses only the second: keep the right one (tofu show on each says "
                    + "what it holds), e.g. rename " + old + " to " + old.getFileName() + MOVED_SUFFIX + " to keep "
                    + "the state directory's, or move " + target + " aside to have " + old + " moved there; "
                    + "nothing was changed");
        }
        try {
            Files.createDirectories(target.getParent());
            // Copied under a temporary name of its own first, so a failed copy never leaves a partial state under the
            // real one, and two first runs at once never write the same file; linked, as a link never replaces.
            Path partial = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".partial");
            try {
                Files.copy(old, partial, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                Files.createLink(target, partial);
            } catch (FileAlreadyExistsException e) {
                throw new PreconditionException("another pglogs run moved the local state of " + where(root) + " to "
                        + target + " at the same time: run again; nothing was changed");
            } finally {
                Files.deleteIfExists(partial);
            }
            writeRecord(root);
            Path aside = asideName(old);
            Files.move(old, aside);
            out.println("    moved the local state of " + where(root) + " out of the Terraform directory, which an "
                    + "upgrade replaces: now " + target + " (the old file is kept as " + aside.getFileName() + ")");
            out.flush();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the local state " + old + " to " + target + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A state from before records were kept says whose it is only through its resources: their ARNs (and the data
     * sources aws_caller_identity and aws_region, when the root has them). One of another account or region than the
     * credentials and region in use now is refused, as adopting it here would have it refreshed against the wrong
     * account and forget its resources. A state that names neither is moved as it is.
     */
    void refuseLegacyOfAnotherOwner(Path stateFile) {
        JsonNode state;
        try {
            state = JSON.readTree(stateFile.toFile());
        } catch (IOException e) {
            return; // unreadable: nothing to tell whose it is, and it is moved as it is rather than passed over
        }
        Set<String> accounts = new TreeSet<>();
        Set<String> regions = new TreeSet<>();
        for (JsonNode resource : state.path("resources")) {
            String type = resource.path("type").asText();
            for (JsonNode instance : resource.path("instances")) {
                JsonNode a = instance.path("attributes");
                if (type.equals("aws_caller_identity")) {
                    addAccount(accounts, a.path("account_id").asText(""));
                } else if (type.equals("aws_region")) {
                    addRegion(regions, a.path("region").asText(a.path("name").asText("")));
                }
                Matcher arn = ARN.matcher(a.path("arn").asText(""));
                if (arn.matches()) {
                    addRegion(regions, arn.group(1));
                    addAccount(accounts, arn.group(2));
                }
            }
        }
        if (accounts.stream().anyMatch(a -> !a.equals(account)) || regions.stream().anyMatch(r -> !r.equals(region))) {
            throw new PreconditionException("the local state " + stateFile + " holds resources of account "
                    + String.join(", ", accounts.isEmpty() ? Set.of("?") : accounts) + ", region "
                    + String.join(", ", regions.isEmpty() ? Set.of("?") : regions) + ", not of account " + account
                    + ", region " + region + " (the credentials and region in use now): run again with the profile "
                    + "and AWS_REGION it was made with; nothing was moved");
        }
    }

    private static void addAccount(Set<String> accounts, String account) {
        if (ACCOUNT.matcher(account).matches()) { // not "aws", the owner of AWS-managed policies
            accounts.add(account);
        }
    }

    private static void addRegion(Set<String> regions, String region) {
        if (!region.isEmpty()) {
            regions.add(region);
        }
    }

    /** Records the account, region and environment of the state at this place, unless it is recorded already. */
    public void writeRecord(Path root) {
        Path file = record(root);
        if (Files.exists(file)) {
            return;
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("account", account);
        r.put("region", region);
        r.put("environment", env.name());
        r.put("root", kind(root));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** True when a state file holds resources; an unreadable one is assumed to, so it is never passed over. */
    public static boolean holdsResources(Path stateFile) {
        if (!Files.isRegularFile(stateFile)) {
            return false;
        }
        try {
            if (Files.size(stateFile) == 0) {
                return false;
            }
            return JSON.readTree(stateFile.toFile()).path("resources").size() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** The record beside the state at another place (a working copy's earlier state directory), when there is one. */
    public static Optional<JsonNode> recordBeside(Path stateFile) {
        String name = stateFile.getFileName().toString();
        if (!name.endsWith(".tfstate")) {
            return Optional.empty();
        }
        return read(stateFile.resolveSibling(name.substring(0, name.length() - ".tfstate".length()) + ".pglogs.json"));
    }

    /** Whether a record names this account, region and environment. */
    public boolean sameOwner(JsonNode record) {
        return account.equals(record.path("account").asText()) && region.equals(record.path("region").asText())
                && env.name().equals(record.path("environment").asText());
    }

    private Optional<JsonNode> readRecord(Path root) {
        return read(record(root));
    }

    private static Optional<JsonNode> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new PreconditionException("cannot read " + file + " (the account and region of the local state "
                    + "beside it): " + e.getMessage() + "; nothing was changed");
        }
    }

    private static Path asideName(Path old) {
        return unused(old.resolveSibling(old.getFileName() + MOVED_SUFFIX));
    }

    /** {@code name}, or {@code name.2}, {@code name.3}... when it is taken. */
    private static Path unused(Path name) {
        Path aside = name;
        for (int n = 2; Files.exists(aside); n++) {
            aside = name.resolveSibling(name.getFileName() + "." + n);
        }
        return aside;
    }

    private static String kind(Path root) {
        return root.toAbsolutePath().normalize().getParent().getFileName().toString();
    }

    private static String where(Path root) {
        return root.getParent().getFileName() + "/" + root.getFileName();
    }
}
