package io.github.mdunet.examples.dashboard;

import java.util.List;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

/**
 * DL4J's training UI on a local port: the score, update ratios, parameters and activations of a run, as DL4J users
 * know them from {@code UIServer}. The listener it gives feeds its in-memory storage; the page lives as long as the
 * process (or until {@link #close()}).
 */
public final class TrainingDashboard implements AutoCloseable {

    /** The UI's page of a run's score and update ratios. */
    public static final String OVERVIEW = "/train/overview";

    private final VertxUIServer server;
    private final StatsStorage storage;
    private final UploadFolders uploadFolders;

    private TrainingDashboard(VertxUIServer server, StatsStorage storage, UploadFolders uploadFolders) {
        this.server = server;
        this.storage = storage;
        this.uploadFolders = uploadFolders;
    }

    /**
     * Starts DL4J's UI server on {@code port} (one per process: a running one is reused only on the same port).
     *
     * @throws DashboardException when the port cannot be used, naming it and the fix
     */
    public static TrainingDashboard start(int port) {
        UploadFolders uploadFolders = UploadFolders.beforeStart();
        VertxUIServer server;
        try {
            server = VertxUIServer.getInstance(port, false, null);
        } catch (RuntimeException e) {
            uploadFolders.started().deleteEmptyNew();
            throw new DashboardException("the training UI cannot listen on port " + port + " (" + rootMessage(e)
                    + "): choose another port, e.g. --ui " + (port + 1), e);
        }
        if (server.getPort() != port) {
            throw new DashboardException("the training UI already runs on port " + server.getPort() + " in this"
                    + " process; use --ui " + server.getPort());
        }
        StatsStorage storage = new InMemoryStatsStorage();
        server.attach(storage);
        return new TrainingDashboard(server, storage, uploadFolders.started());
    }

    /** The listeners to add to the trained graph. */
    public List<TrainingListener> listeners() {
        return List.of(new StatsListener(storage));
    }

    /** The overview page, e.g. {@code http://localhost:9000/train/overview}. */
    public String address() {
        return "http://localhost:" + server.getPort() + OVERVIEW;
    }

    /** Stops the UI server and deletes the empty uploads folder its start made in {@code java.io.tmpdir}. */
    @Override
    public void close() throws InterruptedException {
        server.detach(storage);
        server.stop();
        uploadFolders.deleteEmptyNew();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
