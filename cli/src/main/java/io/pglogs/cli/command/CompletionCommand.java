package io.pglogs.cli.command;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", description = {
        "Print the shell completion script (the same the build writes to completions/).",
        "bash: source <(pglogs completion bash)      zsh: source <(pglogs completion zsh)"})
public final class CompletionCommand implements Callable<Integer> {
    public enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}")
    Shell shell;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(script(spec.root().commandLine(), shell));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    /** picocli's script works in both shells; zsh loads it through bashcompinit, which the script itself sets up. */
    public static String script(picocli.CommandLine root, Shell shell) {
        String bash = AutoComplete.bash("pglogs", root);
        return shell == Shell.bash ? bash
                : "#compdef pglogs\n# zsh: picocli's completion, loaded through bashcompinit.\n" + bash;
    }
}
