package io.pglogs.cli.app;

import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.terraform.DeployedCollectors;
import java.util.ArrayList;
import java.util.List;

/** AWS itself after an apply or a destroy: what Terraform says it did is not taken on trust. */
final class CollectorsCheck {
    private final Session session;
    private final Console console;

    CollectorsCheck(Session session, Console console) {
        this.session = session;
        this.console = console;
    }

    /** The function exists and every configured group is subscribed to it. */
    void afterStart(List<String> groups) {
        String function = session.functionName();
        DeployedCollectors found = DeployedCollectors.look(session.aws(), session.env().name(), function, groups);
        if (!found.functionExists() || !found.unsubscribed().isEmpty() || !found.missing().isEmpty()) {
            throw new FailureException("the apply finished but AWS " + (found.functionExists() ? "has function "
                    + function : "has no function " + function) + "; not subscribed: "
                    + String.join(", ", found.unsubscribed()) + (found.missing().isEmpty() ? ""
                    : "; no such log group: " + String.join(", ", found.missing())) + " (see 'pglogs status "
                    + session.env() + "')");
        }
        console.out().println(console.style().ok("==> checked in AWS: function " + function + " exists; "
                + found.subscribed().size() + " of " + groups.size() + " log groups subscribed"));
    }

    /**
     * A function or subscription still there means the state used did not know them (they were started with another
     * state), and the environment is not stopped whatever the destroy said.
     */
    void afterStop(List<String> groups, String state) {
        Environment env = session.env();
        String function = session.functionName();
        DeployedCollectors left = DeployedCollectors.lookEverywhere(session.aws(), env.name(), function, groups);
        if (left.gone()) {
            console.out().println(console.style().ok("==> checked in AWS: function " + function + " is gone and "
                    + "none of the region's " + left.looked() + " PostgreSQL log groups is subscribed to it"));
            return;
        }
        List<String> what = new ArrayList<>();
        if (left.functionExists()) {
            what.add("function " + function);
        }
        if (!left.subscribed().isEmpty()) {
            what.add(left.subscribed().size() + " subscription(s) (" + String.join(", ", left.subscribed()) + ")");
        }
        throw new FailureException(env + " is NOT stopped: AWS still has " + String.join(" and ", what)
                + ", which the state used (" + state + ") does not know: it was started with another state. Use "
                + "that state (" + Setting.STATE_BUCKET.key(env) + ", see 'pglogs state show " + env + "'), or run "
                + "'pglogs stop " + env + " --adopt' to import what exists and destroy it");
    }
}
