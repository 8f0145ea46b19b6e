/** Self-contained HTML reports of training runs and evaluations: configuration, plan, curves, metrics, overlays. */
package io.github.mdunet.examples.report;
