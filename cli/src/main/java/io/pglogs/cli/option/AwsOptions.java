package io.pglogs.cli.option;

import io.pglogs.cli.app.AwsFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Where and as whom a command calls AWS: the global --profile, --region, --endpoint-url and --local as typed; the
 * session falls back to the usual AWS variables, then the config file.
 */
@Command // a mixin without options of its own: picocli needs the annotation to take it
public final class AwsOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    public AwsFlags flags() {
        GlobalOptions global = GlobalOptions.of(command);
        return new AwsFlags(global.profile, global.region, global.endpointUrl, global.local);
    }
}
