package io.pglogs.cli.app;

import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.terraform.LocalStates;
import io.pglogs.cli.terraform.StateBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** What the settings say, each with where it came from, and where an environment's Terraform state is. */
public final class Configuration {
    /**
     * One root's state: where it is, whether this working copy is initialised, a move still to make (the state it
     * still uses), and a local state the working copy still holds, which the next start or stop moves to the state
     * directory.
     */
    public record RootState(String root, String where, boolean initialised, String stillUses, String toMove) {
    }

    /** @param unknownAccount why the account, and so the local states' directory, is not known (null: it is) */
    public record StateReport(Environment env, boolean shared, List<RootState> roots, String unknownAccount) {
    }

    private final Session session;

    private Configuration(Session session) {
        this.session = session;
    }

    public static Configuration of(Session session) {
        return new Configuration(session);
    }

    /** @param envFlag the environment as typed (null: not given), for the env setting's own source */
    public List<Settings.Value> effective(Environment envFlag) {
        Settings settings = session.settings();
        Environment e = session.env();
        List<Settings.Value> values = new ArrayList<>();
        for (Setting s : Setting.values()) {
            values.add(switch (s) {
                case ENV -> settings.get(s, e, "--env", envFlag == null ? null : envFlag.name());
                case REGION -> session.region();
                case PROFILE -> session.profile();
                case ENDPOINT_URL -> session.endpointUrl();
                default -> settings.get(s, e);
            });
        }
        return values;
    }

    /**
     * Values that look like they carry an end-of-line comment ("123456789012   # prod"): a properties file keeps it as
     * part of the value, so the setting is wrong in a way its own check may not say (docs/operator-guide.md).
     */
    public List<String> warnings(List<Settings.Value> values) {
        List<String> warnings = new ArrayList<>();
        for (Settings.Value v : values) {
            if (v.isSet() && COMMENT.matcher(v.value()).find()) {
                warnings.add(v.key() + " (" + v.source() + ") ends in what looks like a comment: '" + v.value()
                        + "' is all its value; put the comment on a line of its own");
            }
        }
        return warnings;
    }

    private static final Pattern COMMENT = Pattern.compile("\\s[#!]");

    public Path file() {
        return session.settings().file();
    }

    /**
     * Where each root's state is. A local state's directory depends on the account: {@code <env>.account_id} when set,
     * else the one STS says the credentials act on; when neither is known the report says why.
     */
    public StateReport state() {
        Environment env = session.env();
        StateBackend state = StateBackend.resolve(session.settings(), env, session.region(), session.endpointUrl(),
                session.profile());
        Path base = Path.of(session.setting(Setting.STATE_DIR).value());
        String region = session.region().isSet() ? session.region().value() : "<region>";
        String unknown = null;
        String account = "<account>";
        if (session.accountId().isSet()) {
            account = session.accountId().value(); // no call: start and stop check the credentials against it
        } else if (!session.region().isSet()) {
            unknown = "no region is set";
        } else if (!state.shared()) {
            try {
                account = session.aws().identity().account();
            } catch (RuntimeException e) {
                unknown = "account unknown: STS GetCallerIdentity failed: " + e.getMessage() + "; or set "
                        + Setting.ACCOUNT_ID.key(env);
            }
        }
        if (unknown == null && !session.region().isSet()) {
            unknown = "no region is set";
        }
        LocalStates local = new LocalStates(base, account, region, env);
        state.withLocalStates(() -> local);
        Path dir = Path.of(session.setting(Setting.TERRAFORM_DIR).value());
        List<RootState> roots = new ArrayList<>();
        for (Path root : List.of(env.persistentDataRoot(dir), env.collectorsRoot(dir))) {
            boolean initialised = Files.isRegularFile(root.resolve(".terraform").resolve("terraform.tfstate"));
            Optional<StateBackend.Change> change = initialised && (state.shared() || unknown == null)
                    ? state.changeFrom(root) : Optional.empty();
            Path own = LocalStates.inWorkingCopy(root);
            String where = state.shared() ? state.describe(root) : "local file " + local.file(root)
                    + (unknown == null ? (Files.exists(local.file(root)) ? "" : " (none yet)")
                            : " (" + unknown + ")");
            roots.add(new RootState(root.getParent().getFileName().toString(), where, initialised,
                    change.map(StateBackend.Change::from).orElse(null),
                    LocalStates.holdsResources(own) ? own.toString() : null));
        }
        return new StateReport(env, state.shared(), roots, unknown);
    }
}
