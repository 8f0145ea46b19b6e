/**
 * Arbiter search over the decoder's width (mid scale, channel reduction, upsampling, attention) under a memory budget,
 * and the plan before the search runs: every candidate with its estimate and whether it fits ({@code SearchPlan},
 * made by {@code CandidatePlanner}, printed by {@code PlanTable}).
 */
package io.github.mdunet.tuning.search;
