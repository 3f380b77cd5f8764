package io.pglogs.cli.app;

import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.terraform.StateBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** What the settings say, each with where it came from, and where an environment's Terraform state is. */
public final class Configuration {
    /** One root's state: where it is, whether this working copy is initialised, and a move still to make. */
    public record RootState(String root, String where, boolean initialised, String stillUses) {
    }

    public record StateReport(Environment env, boolean shared, List<RootState> roots) {
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

    /** Where each root's state is, without calling AWS. */
    public StateReport state() {
        Environment env = session.env();
        StateBackend state = StateBackend.resolve(session.settings(), env, session.region(), session.endpointUrl(),
                session.profile());
        Path dir = Path.of(session.setting(Setting.TERRAFORM_DIR).value());
        List<RootState> roots = new ArrayList<>();
        for (Path root : List.of(env.persistentDataRoot(dir), env.collectorsRoot(dir))) {
            boolean initialised = Files.isRegularFile(root.resolve(".terraform").resolve("terraform.tfstate"));
            Optional<StateBackend.Change> change = initialised ? state.changeFrom(root) : Optional.empty();
            roots.add(new RootState(root.getParent().getFileName().toString(), state.describe(root), initialised,
                    change.map(StateBackend.Change::from).orElse(null)));
        }
        return new StateReport(env, state.shared(), roots);
    }
}
