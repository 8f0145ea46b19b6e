package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochRecordTest {

    @Test
    void aLogLineGivesEveryMetricInItsOrderToFourDecimals() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", 1.6541144847869873);
        metrics.put("meanIoU", 0.030076347955072434);
        metrics.put("iou/0", 5.941108759422227E-4);
        metrics.put("iou/1", Double.NaN);
        EpochRecord record = new EpochRecord(3, 1.70864, metrics, 0.5, 12.34);

        assertThat(EpochRecord.describe(metrics)).isEqualTo("loss 1.6541, meanIoU 0.0301, iou/0 0.0006, iou/1 NaN");
        assertThat(record.describe()).isEqualTo("train loss 1.7086, validation loss 1.6541, meanIoU 0.0301,"
                + " iou/0 0.0006, iou/1 NaN, 12.3 s");
    }
}
