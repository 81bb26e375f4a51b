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

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "show details, stack traces on errors, and the libraries' logs (INFO and above) on stderr")
    boolean verbose;

    public static void main(String[] args) {
        configureLogging(args);
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with these streams and returns the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = configure(new CommandLine(new Main()), out, err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The command line with these streams and the handlers that make every failure one {@code mq:} line and its exit code. */
    static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
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
        return cl;
    }

    /**
     * The CLI binds SLF4J to java.util.logging (slf4j-jdk14), so every library's log (anymq's core, the
     * clients, netty's fallback to JUL too) goes through the JUL root logger. Without {@code --verbose}
     * that is off, with no handler: a failure is the one {@code mq:} line. With {@code --verbose}, INFO and
     * above go to stderr, one line each.
     */
    static void configureLogging(String[] args) {
        boolean verbose = false;
        for (String a : args) {
            if (a.equals("-v") || a.equals("--verbose")) {
                verbose = true;
            }
        }
        java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        if (!verbose) {
            root.setLevel(java.util.logging.Level.OFF);
            return;
        }
        root.setLevel(java.util.logging.Level.INFO);
        java.util.logging.StreamHandler stderr = new java.util.logging.StreamHandler(System.err, new OneLineFormatter()) {
            @Override
            public synchronized void publish(java.util.logging.LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        stderr.setLevel(java.util.logging.Level.ALL);
        root.addHandler(stderr);
    }

    /** {@code 09:12:03.456 WARNING org.apache.kafka.clients.NetworkClient: message}, then the stack trace if any. */
    static final class OneLineFormatter extends java.util.logging.Formatter {
        @Override
        public String format(java.util.logging.LogRecord r) {
            StringBuilder b = new StringBuilder(String.format("%1$tT.%1$tL %2$s %3$s: %4$s%n",
                    java.util.Date.from(r.getInstant()), r.getLevel().getName(), r.getLoggerName(), formatMessage(r)));
            if (r.getThrown() != null) {
                java.io.StringWriter w = new java.io.StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(w));
                b.append(w);
            }
            return b.toString();
        }
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
        if (t instanceof MessagingException || t instanceof UsageError || t instanceof Failed || t instanceof Json.InvalidJsonException) {
            return message;
        }
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** A command that failed at run time, with a message that says all (exit 1). */
    static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }

    /** A mistake in how the command was used that the parser cannot see (a bad header syntax, say). */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }
}
