package io.pglogs.cli.term;

import io.pglogs.cli.error.PreconditionException;
import java.io.PrintWriter;

/** Questions to the person at the terminal. Without one, a question that needs an answer is a precondition error. */
public final class Prompt {
    private final Terminal ctx;
    private final PrintWriter out;

    public Prompt(Terminal ctx, PrintWriter out) {
        this.ctx = ctx;
        this.out = out;
    }

    /**
     * Asks to type {@code expected}; true only if exactly that was typed.
     *
     * @param withoutTerminal the error when nobody can answer
     */
    public boolean typed(String question, String expected, String withoutTerminal) {
        if (!ctx.interactive()) {
            throw new PreconditionException(withoutTerminal);
        }
        out.print(question);
        out.flush();
        String answer = ctx.readLine();
        return answer != null && answer.trim().equals(expected);
    }
}
