package io.pglogs.cli.option;

import io.pglogs.cli.app.TerraformFlags;
import picocli.CommandLine.Option;

/** What start and stop share: which binary runs Terraform, where the roots are, plan only, and moved states. */
public final class TerraformOptions {
    @Option(names = "--terraform", paramLabel = "PATH", description = "terraform or tofu binary (else "
            + "PGLOGS_TERRAFORM, the config file, tofu or terraform on PATH).")
    String terraform;

    @Option(names = "--terraform-dir", paramLabel = "DIR", description = "Directory holding persistent_data/ and "
            + "collectors/ (else PGLOGS_TERRAFORM_DIR, the config file, the terraform/ of this installation).")
    String terraformDir;

    @Option(names = {"--dry-run", "--plan"}, description = "Show the plans only; change nothing.")
    boolean planOnly;

    @Option(names = "--reconfigure", description = "When the state settings changed, use the new state as it is "
            + "instead of copying this working copy's state there.")
    boolean reconfigure;

    public TerraformFlags flags() {
        return new TerraformFlags(terraform, terraformDir, planOnly, reconfigure);
    }
}
