package io.github.mdunet.examples.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** DL4J's training UI on localhost: its page is served, and a trained graph's listener fills it. */
class TrainingDashboardTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> get(String address) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(address)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** DL4J's UI server's uploads folders in {@code java.io.tmpdir}. */
    private static Set<Path> uploadFolders() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith(UploadFolders.PREFIX))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void servesTheOverviewAndTheScoresOfATrainedGraph() throws Exception {
        int port = freePort();
        Set<Path> foldersBefore = uploadFolders();
        try (TrainingDashboard dashboard = TrainingDashboard.start(port)) {
            assertThat(uploadFolders()).as("DL4J's server makes its uploads folder as it starts")
                    .hasSizeGreaterThan(foldersBefore.size());
            assertThat(dashboard.address()).isEqualTo("http://localhost:" + port + "/train/overview");
            HttpResponse<String> page = get(dashboard.address());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<html", "Overview");

            UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                    .input(new ImageShape(1, 16, 16)).numClasses(2).build());
            unet.graph().addListeners(dashboard.listeners().toArray(org.deeplearning4j.optimize.api
                    .TrainingListener[]::new));
            var features = Nd4j.rand(DataType.FLOAT, 2, 1, 16, 16);
            var foreground = features.gt(0.5).castTo(DataType.FLOAT);
            unet.graph().fit(new DataSet(features, Nd4j.concat(1, foreground.rsub(1), foreground)));
            unet.graph().fit(new DataSet(features, Nd4j.concat(1, foreground.rsub(1), foreground)));

            HttpResponse<String> data = get("http://localhost:" + port + "/train/overview/data");
            assertThat(data.statusCode()).isEqualTo(200);
            assertThat(data.body()).contains("\"scores\"");
        }
        assertThat(uploadFolders()).as("closing deletes it").isEqualTo(foldersBefore);
    }

    @Test
    void aPortInUseIsNamedWithTheFix() throws Exception {
        Set<Path> foldersBefore = uploadFolders();
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> TrainingDashboard.start(port).close())
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining("port " + port).hasMessageContaining("choose another port");
        }
        assertThat(uploadFolders()).as("nothing left by the failed start").isEqualTo(foldersBefore);
    }
}
