package io.anymq.cli;

import io.anymq.MessagingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/**
 * The {@code mq} command. Every failure is one line {@code mq: <message>} on stderr (the stack
 * trace only with {@code --verbose}); exit code 2 for bad usage, 1 for everything else that failed.
 */
@Command(name = "mq", mixinStandardHelpOptions = true, version = "anymq 0.1.0",
        description = "anymq: one messaging API over every broker.",
        subcommands = {ProvidersCommand.class, SendCommand.class, ReceiveCommand.class, DemoCommand.class,
                BenchCommand.class, BridgeCommand.class, BrokerCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    /** Exit code of a command that failed at run time. */
    static final int FAILED = 1;
    /** Exit code of a bad command line. */
    static final int USAGE = 2;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "show details, and stack traces on errors")
    boolean verbose;

    public static void main(String[] args) {
        quietLibraryLogging(args);
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with these streams and returns the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose") || hasVerbose(parseResult);
            commandLine.getErr().println("mq: " + describe(e));
            if (verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return e instanceof UsageError ? USAGE : FAILED;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("mq: " + e.getMessage() + " (see: mq " + subcommandPath(c) + "--help)");
            c.getErr().flush();
            return USAGE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The CLI binds slf4j-nop, so libraries logging through SLF4J are silent; netty (under lettuce)
     * then falls back to java.util.logging, which prints every reconnect attempt on stderr. Without
     * {@code --verbose} that is off too: a failure is the one {@code mq:} line.
     */
    static void quietLibraryLogging(String[] args) {
        for (String a : args) {
            if (a.equals("-v") || a.equals("--verbose")) {
                return;
            }
        }
        java.util.logging.LogManager.getLogManager().getLogger("").setLevel(java.util.logging.Level.OFF);
    }

    private static boolean hasVerbose(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static String subcommandPath(CommandLine c) {
        StringBuilder b = new StringBuilder();
        for (CommandLine x = c; x.getParent() != null; x = x.getParent()) {
            b.insert(0, x.getCommandName() + " ");
        }
        return b.toString();
    }

    /** One line that says what went wrong, without a stack trace. */
    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (t instanceof MessagingException || t instanceof UsageError) {
            return message;
        }
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** A mistake in how the command was used that the parser cannot see (a bad header syntax, say). */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }
}
