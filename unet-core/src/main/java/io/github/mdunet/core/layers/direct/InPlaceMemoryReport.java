package io.github.mdunet.core.layers.direct;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The memory report of a vertex whose training output takes over an input's array: as {@code report}, except that
 * its activations cost nothing in training (they are counted where the input is). Inference allocates the output.
 */
final class InPlaceMemoryReport extends MemoryReport {

    private final LayerMemoryReport report;

    InPlaceMemoryReport(LayerMemoryReport report) {
        this.report = report;
    }

    @Override
    public Class<?> getReportClass() {
        return report.getReportClass();
    }

    @Override
    public String getName() {
        return report.getName();
    }

    @Override
    public long getTotalMemoryBytes(int minibatchSize, MemoryUseMode memoryUseMode, CacheMode cacheMode,
                                    DataType dataType) {
        long total = report.getTotalMemoryBytes(minibatchSize, memoryUseMode, cacheMode, dataType);
        return memoryUseMode == MemoryUseMode.TRAINING
                ? total - report.getMemoryBytes(MemoryType.ACTIVATIONS, minibatchSize, memoryUseMode, cacheMode,
                dataType) : total;
    }

    @Override
    public long getMemoryBytes(MemoryType memoryType, int minibatchSize, MemoryUseMode memoryUseMode,
                               CacheMode cacheMode, DataType dataType) {
        if (memoryType == MemoryType.ACTIVATIONS && memoryUseMode == MemoryUseMode.TRAINING) {
            return 0;
        }
        return report.getMemoryBytes(memoryType, minibatchSize, memoryUseMode, cacheMode, dataType);
    }

    @Override
    public String toString() {
        return "InPlaceMemoryReport(" + report + ")";
    }
}
