package io.anymq.bench;

/**
 * A careful plain-client consumer that commits its acks in batches, with the promise anymq's JMS
 * driver gives on Artemis and HornetQ (an ack counts once a commit made it durable): a thread of its
 * own receives, hands each message on and acknowledges it in the session's open transaction, and
 * commits every {@link #BATCH} messages or as soon as nothing more is waiting (idle), so that no ack
 * waits for more messages to come.
 */
final class CommitLoop implements AutoCloseable {
    /** The most acks one commit carries: the same as anymq's driver's settlement batch. */
    static final int BATCH = 256;

    /** The plain client's calls the loop needs. */
    interface Client {
        /** Waits up to {@code millis} for a message (0: only what is there now); handles and acknowledges it; false when none came. */
        boolean receiveOne(long millis) throws Exception;

        /** Commits the acks made since the last commit, waiting for the broker. */
        void commit() throws Exception;

        /** Closes the consumer and its session. */
        void close() throws Exception;
    }

    private final Client client;
    private final Thread thread;
    private volatile boolean running = true;

    CommitLoop(String name, Client client) {
        this.client = client;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        int uncommitted = 0;
        while (running) {
            try {
                boolean got = client.receiveOne(uncommitted == 0 ? 100 : 0);
                if (got) {
                    uncommitted++;
                }
                if (uncommitted > 0 && (!got || uncommitted >= BATCH)) {
                    client.commit();
                    uncommitted = 0;
                }
            } catch (Exception e) {
                if (running) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(5_000);
        client.close();
    }
}
