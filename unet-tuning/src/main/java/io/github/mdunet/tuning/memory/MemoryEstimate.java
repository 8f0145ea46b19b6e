package io.github.mdunet.tuning.memory;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The estimated memory of training and running one U-Net configuration at one batch size, in bytes, after the
 * {@link MemoryCorrection} fitted to measurements. Training memory is
 * {@code total = parameters + gradients + updaterState + activations + workspace + overhead + shortfall +
 * lossNetwork}. The correction was fitted on FLOAT networks of the calibration's kind only:
 * {@link #calibrationNotes()} says how this configuration differs from them and what was measured for the
 * difference, and why the estimate was raised when it has a shortfall.
 *
 * @param parameterCount the number of parameters (exact)
 * @param parameters     bytes of the parameters
 * @param gradients      bytes of the parameter gradients
 * @param updaterState   bytes of the updater's state (Adam: two values per parameter)
 * @param activations    bytes of the activations kept for backpropagation (input and labels included)
 * @param workspace      bytes of working memory: the SameDiff layers' internal arrays (kept through the backward
 *                       pass) plus the largest transient scratch space of a built-in layer and the activation
 *                       gradients in flight
 * @param overhead       the calibration's fixed offset (allocator slack, native library buffers)
 * @param shortfall      what the estimate adds to the fit's figure for an encoder whose calibrated cases the fit
 *                       estimates low (SqueezeNet on the fused blocks); 0 for every other (see its note)
 * @param lossNetwork    a feature loss's frozen network in a training step (its parameters, the prediction's
 *                       activations kept for its backward pass, the target's feature maps and the largest working
 *                       memory), from DL4J's reports of its layers with its own measured factor (see its note); 0
 *                       for the other losses, which have no network
 * @param total          the peak training memory
 * @param inference      the peak memory of a forward pass at the same batch size: parameters, the largest set of
 *                       activations alive at once (skips wait for their decoder stage) and working memory, as DL4J
 *                       reports them (not calibrated: the measurements behind the correction are training steps)
 * @param uncorrectedTotal the training total before the correction: DL4J's layer memory reports, summed as above
 * @param perBlock       the same terms per block (encoder, mid, decoder stages, head, input); each block's
 *                       workspace is its own peak ({@link BlockMemory#workspaceBytes()}), so the rows add up to more
 *                       than {@code total}
 * @param raw            the uncorrected terms the correction was applied to (what {@link MemoryCalibration} fits)
 * @param dataType       the network's data type (HALF is counted as FLOAT, see {@link MemoryEstimator})
 * @param calibrationNotes one sentence per way the configuration differs from the calibrated ones (data type,
 *                       encoder, input size, reduction, mid scale, upsampling, attention, loss, ...), one for a batch
 *                       size outside the calibrated ones, one for a shortfall and one for a total above the largest
 *                       measurement, with the error measured for each where there is one; empty for a FLOAT network
 *                       of the calibration's kind whose estimate has no known error
 */
public record MemoryEstimate(
        long parameterCount,
        long parameters,
        long gradients,
        long updaterState,
        long activations,
        long workspace,
        long overhead,
        long shortfall,
        long lossNetwork,
        long total,
        long inference,
        long uncorrectedTotal,
        List<BlockMemory> perBlock,
        RawTerms raw,
        DataType dataType,
        List<String> calibrationNotes) {

    public MemoryEstimate {
        perBlock = List.copyOf(perBlock);
        if (dataType == null) {
            throw new IllegalArgumentException("MemoryEstimate.dataType must be set, e.g. DataType.FLOAT");
        }
        calibrationNotes = List.copyOf(calibrationNotes);
    }

    /** This estimate with {@code note} added to its calibration notes. */
    MemoryEstimate withCalibrationNote(String note) {
        List<String> notes = new ArrayList<>(calibrationNotes);
        notes.add(note);
        return new MemoryEstimate(parameterCount, parameters, gradients, updaterState, activations, workspace, overhead,
                shortfall, lossNetwork, total, inference, uncorrectedTotal, perBlock, raw, dataType, notes);
    }

    /**
     * Whether the configuration is of the calibration's kind and its estimate has no known error: no
     * {@link #calibrationNotes()}.
     */
    public boolean withinCalibration() {
        return calibrationNotes.isEmpty();
    }

    /**
     * Whether a {@link MemoryBudget} may judge this estimate: false for a data type whose estimate no measurement backs
     * (DOUBLE measured 3.8 GiB where it was estimated at 2.2 GiB); FLOAT and HALF (counted as FLOAT) are judged.
     */
    public boolean budgetCheckable() {
        return MemoryEstimator.budgetCheckable(dataType);
    }

    /**
     * DL4J's reported sizes before the correction, in bytes.
     *
     * @param parameterState parameters, gradients and updater state
     * @param activations    activations of built-in layers, input and labels
     * @param spatialConvolutions the outputs of convolutions with a kernel larger than 1 x 1 (also counted in
     *                       {@code activations}): their backward pass keeps much more than their output
     * @param customLayers   activations and working memory of SameDiff layers
     * @param workspace      largest working memory of a built-in layer plus two of the largest activation gradients
     * @param fusedSpatialBlocks   the outputs of the fused conv-norm-activation blocks with a kernel larger than
     *                             1 x 1 (also counted in {@code activations})
     * @param fusedPointwiseBlocks the outputs of the 1 x 1 fused blocks (also counted in {@code activations})
     */
    public record RawTerms(long parameterState, long activations, long spatialConvolutions, long customLayers,
                           long workspace, long fusedSpatialBlocks, long fusedPointwiseBlocks) {
    }

    /**
     * A fixed-width table: the terms, a line per calibration note, then one row per block and a line saying why the
     * rows add up to more than the total.
     */
    public String toTable() {
        StringBuilder table = new StringBuilder();
        table.append(String.format("training %s (parameters %s, gradients %s, updater %s, activations %s, "
                        + "workspace %s, overhead %s%s%s); inference %s; %,d parameters%n",
                MemoryBudget.format(total), MemoryBudget.format(parameters), MemoryBudget.format(gradients),
                MemoryBudget.format(updaterState), MemoryBudget.format(activations), MemoryBudget.format(workspace),
                MemoryBudget.format(overhead), shortfall == 0 ? "" : ", shortfall " + MemoryBudget.format(shortfall),
                lossNetwork == 0 ? "" : ", loss network " + MemoryBudget.format(lossNetwork),
                MemoryBudget.format(inference), parameterCount));
        calibrationNotes.forEach(note -> table.append("note: ").append(note).append(System.lineSeparator()));
        table.append(String.format("%-18s %14s %14s %14s %14s%n", "block", "parameters", "param bytes",
                "activations", "workspace"));
        for (BlockMemory block : perBlock) {
            table.append(String.format("%-18s %,14d %14s %14s %14s%n", block.block().toString(), block.parameterCount(),
                    MemoryBudget.format(block.parameterBytes()), MemoryBudget.format(block.activationBytes()),
                    MemoryBudget.format(block.workspaceBytes())));
        }
        if (!perBlock.isEmpty()) {
            table.append(String.format("a block's workspace is its own peak, as if it ran alone: the rows add up to"
                    + " more than the training total, which counts one peak at a time%n"));
        }
        return table.toString();
    }

    @Override
    public String toString() {
        return "MemoryEstimate[training " + MemoryBudget.format(total) + ", inference " + MemoryBudget.format(inference)
                + ", " + parameterCount + " parameters" + (withinCalibration() ? "" : "; " + String.join("; ",
                calibrationNotes)) + "]";
    }
}
