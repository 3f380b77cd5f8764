package io.pglogs.cli.term;

/** The person at the terminal, for the questions a command must ask: whether anyone can answer, and what they type. */
public interface Terminal {
    /** A person can answer prompts. */
    boolean interactive();

    /** One line typed at the terminal, or null at end of input. */
    String readLine();
}
