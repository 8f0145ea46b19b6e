package io.github.mdunet.core.layers;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Plain loops over NCHW {@code INDArray} elements: the references the layers are checked against. */
public final class Reference {

    private Reference() {
    }

    /** PyTorch {@code nn.PixelShuffle}: input channel {@code c*r*r + i*r + j} -> {@code out[c, h*r+i, w*r+j]}. */
    public static INDArray pixelShuffle(INDArray x, int r) {
        long n = x.size(0), channels = x.size(1) / (r * r), height = x.size(2), width = x.size(3);
        INDArray out = Nd4j.create(DataType.DOUBLE, n, channels, height * r, width * r);
        for (long b = 0; b < n; b++) {
            for (long c = 0; c < channels; c++) {
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < r; j++) {
                        for (long h = 0; h < height; h++) {
                            for (long w = 0; w < width; w++) {
                                out.putScalar(new long[] {b, c, h * r + i, w * r + j},
                                        x.getDouble(b, c * r * r + i * r + j, h, w));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Nearest-neighbour upsampling by {@code r}. */
    public static INDArray nearestUpsample(INDArray x, int r) {
        long n = x.size(0), channels = x.size(1), height = x.size(2), width = x.size(3);
        INDArray out = Nd4j.create(DataType.DOUBLE, n, channels, height * r, width * r);
        for (long b = 0; b < n; b++) {
            for (long c = 0; c < channels; c++) {
                for (long h = 0; h < height * r; h++) {
                    for (long w = 0; w < width * r; w++) {
                        out.putScalar(new long[] {b, c, h, w}, x.getDouble(b, c, h / r, w / r));
                    }
                }
            }
        }
        return out;
    }

    /** Stride-1 cross-correlation with zero padding (k-1)/2, weights {@code [out, in, k, k]}, bias or null. */
    public static INDArray conv2dSame(INDArray x, INDArray weights, INDArray bias) {
        int k = Math.toIntExact(weights.size(2));
        int pad = (k - 1) / 2;
        return conv2d(x, weights, bias, new int[] {k, k}, new int[] {1, 1}, new int[] {pad, pad}, true);
    }

    /**
     * Cross-correlation with any kernel, stride and top-left zero padding, weights {@code [out, in, kH, kW]}, bias
     * or null.
     *
     * @param padding top and left zero padding
     * @param same    DL4J's Same mode (output {@code ceil(in / stride)}, padding as given at the top and left) or
     *                Truncate (output {@code (in + 2 * pad - k) / stride + 1})
     */
    public static INDArray conv2d(INDArray x, INDArray weights, INDArray bias, int[] kernel, int[] stride,
                                  int[] padding, boolean same) {
        long n = x.size(0), in = x.size(1), height = x.size(2), width = x.size(3);
        long out = weights.size(0);
        long outHeight = same ? (height + stride[0] - 1) / stride[0]
                : (height + 2L * padding[0] - kernel[0]) / stride[0] + 1;
        long outWidth = same ? (width + stride[1] - 1) / stride[1]
                : (width + 2L * padding[1] - kernel[1]) / stride[1] + 1;
        INDArray result = Nd4j.create(DataType.DOUBLE, n, out, outHeight, outWidth);
        for (long b = 0; b < n; b++) {
            for (long o = 0; o < out; o++) {
                for (long h = 0; h < outHeight; h++) {
                    for (long w = 0; w < outWidth; w++) {
                        double sum = bias == null ? 0 : bias.getDouble(o);
                        for (long i = 0; i < in; i++) {
                            for (long kh = 0; kh < kernel[0]; kh++) {
                                for (long kw = 0; kw < kernel[1]; kw++) {
                                    long sh = h * stride[0] + kh - padding[0];
                                    long sw = w * stride[1] + kw - padding[1];
                                    if (sh >= 0 && sh < height && sw >= 0 && sw < width) {
                                        sum += weights.getDouble(o, i, kh, kw) * x.getDouble(b, i, sh, sw);
                                    }
                                }
                            }
                        }
                        result.putScalar(new long[] {b, o, h, w}, sum);
                    }
                }
            }
        }
        return result;
    }

    /** fastai's blur: ReplicationPad2d((1,0,1,0)) then AvgPool2d(2, stride=1). */
    public static INDArray blur(INDArray x) {
        long n = x.size(0), channels = x.size(1), height = x.size(2), width = x.size(3);
        INDArray padded = Nd4j.create(DataType.DOUBLE, n, channels, height + 1, width + 1);
        for (long b = 0; b < n; b++) {
            for (long c = 0; c < channels; c++) {
                for (long h = 0; h <= height; h++) {
                    for (long w = 0; w <= width; w++) {
                        padded.putScalar(new long[] {b, c, h, w},
                                x.getDouble(b, c, Math.max(h - 1, 0), Math.max(w - 1, 0)));
                    }
                }
            }
        }
        INDArray out = Nd4j.create(DataType.DOUBLE, n, channels, height, width);
        for (long b = 0; b < n; b++) {
            for (long c = 0; c < channels; c++) {
                for (long h = 0; h < height; h++) {
                    for (long w = 0; w < width; w++) {
                        out.putScalar(new long[] {b, c, h, w}, (padded.getDouble(b, c, h, w)
                                + padded.getDouble(b, c, h + 1, w) + padded.getDouble(b, c, h, w + 1)
                                + padded.getDouble(b, c, h + 1, w + 1)) / 4);
                    }
                }
            }
        }
        return out;
    }

    /** DL4J's own implementation of the activation. */
    public static INDArray activation(INDArray x, Activation activation) {
        return activation.getActivationFunction().getActivation(x.dup(), false);
    }

    /**
     * PyTorch {@code F.interpolate(mode='bilinear', align_corners=False)}, written out from ATen's
     * {@code area_pixel_compute_source_index}.
     */
    public static INDArray bilinear(INDArray x, int outHeight, int outWidth) {
        long n = x.size(0), channels = x.size(1), height = x.size(2), width = x.size(3);
        INDArray out = Nd4j.create(DataType.DOUBLE, n, channels, outHeight, outWidth);
        double scaleH = (double) height / outHeight, scaleW = (double) width / outWidth;
        for (int oh = 0; oh < outHeight; oh++) {
            double h1r = Math.max(scaleH * (oh + 0.5) - 0.5, 0);
            int h1 = (int) h1r;
            int h1p = h1 < height - 1 ? 1 : 0;
            double h1lambda = h1r - h1, h0lambda = 1 - h1lambda;
            for (int ow = 0; ow < outWidth; ow++) {
                double w1r = Math.max(scaleW * (ow + 0.5) - 0.5, 0);
                int w1 = (int) w1r;
                int w1p = w1 < width - 1 ? 1 : 0;
                double w1lambda = w1r - w1, w0lambda = 1 - w1lambda;
                for (long b = 0; b < n; b++) {
                    for (long c = 0; c < channels; c++) {
                        double value = h0lambda * (w0lambda * x.getDouble(b, c, h1, w1)
                                + w1lambda * x.getDouble(b, c, h1, w1 + w1p))
                                + h1lambda * (w0lambda * x.getDouble(b, c, h1 + h1p, w1)
                                + w1lambda * x.getDouble(b, c, h1 + h1p, w1 + w1p));
                        out.putScalar(new long[] {b, c, oh, ow}, value);
                    }
                }
            }
        }
        return out;
    }

    /** {@code [N, C, H, W]} x {@code [O, C, 1, 1]} -> {@code [N, O, H*W]} (1x1 convolution, flattened). */
    private static double[][][] project(INDArray x, INDArray weights) {
        int n = (int) x.size(0), in = (int) x.size(1), height = (int) x.size(2), width = (int) x.size(3);
        int out = (int) weights.size(0);
        double[][][] result = new double[n][out][height * width];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) {
                for (int p = 0; p < height * width; p++) {
                    double sum = 0;
                    for (int i = 0; i < in; i++) {
                        sum += weights.getDouble(o, i, 0, 0) * x.getDouble(b, i, p / width, p % width);
                    }
                    result[b][o][p] = sum;
                }
            }
        }
        return result;
    }

    /** fastai's SelfAttention: {@code out = gamma * h . softmax_dim1(f^T g) + x}. */
    public static INDArray selfAttention(INDArray x, INDArray query, INDArray key, INDArray value, double gamma) {
        int n = (int) x.size(0), channels = (int) x.size(1), height = (int) x.size(2), width = (int) x.size(3);
        int pixels = height * width;
        double[][][] f = project(x, query), g = project(x, key), h = project(x, value);
        INDArray out = Nd4j.create(DataType.DOUBLE, n, channels, height, width);
        for (int b = 0; b < n; b++) {
            double[][] scores = new double[pixels][pixels];
            for (int i = 0; i < pixels; i++) {
                for (int j = 0; j < pixels; j++) {
                    for (int c = 0; c < f[b].length; c++) {
                        scores[i][j] += f[b][c][i] * g[b][c][j];
                    }
                }
            }
            double[][] beta = new double[pixels][pixels];
            for (int j = 0; j < pixels; j++) {           // softmax over i (dim 1 of [N, HW, HW])
                double max = Double.NEGATIVE_INFINITY, total = 0;
                for (int i = 0; i < pixels; i++) {
                    max = Math.max(max, scores[i][j]);
                }
                for (int i = 0; i < pixels; i++) {
                    total += Math.exp(scores[i][j] - max);
                }
                for (int i = 0; i < pixels; i++) {
                    beta[i][j] = Math.exp(scores[i][j] - max) / total;
                }
            }
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < pixels; j++) {
                    double attended = 0;
                    for (int i = 0; i < pixels; i++) {
                        attended += h[b][c][i] * beta[i][j];
                    }
                    out.putScalar(new long[] {b, c, j / width, j % width},
                            gamma * attended + x.getDouble(b, c, j / width, j % width));
                }
            }
        }
        return out;
    }

    /** Attention U-Net gate on the concatenation {@code [skip ; gate]}. */
    public static INDArray attentionGate(INDArray x, int skipChannels, INDArray wx, INDArray wg, INDArray bg,
                                  INDArray psi, double bpsi) {
        int n = (int) x.size(0), height = (int) x.size(2), width = (int) x.size(3);
        int gateChannels = (int) x.size(1) - skipChannels, intermediate = (int) wx.size(0);
        INDArray out = Nd4j.create(DataType.DOUBLE, n, skipChannels, height, width);
        for (int b = 0; b < n; b++) {
            for (int h = 0; h < height; h++) {
                for (int w = 0; w < width; w++) {
                    double logit = bpsi;
                    for (int f = 0; f < intermediate; f++) {
                        double joint = bg.getDouble(f);
                        for (int s = 0; s < skipChannels; s++) {
                            joint += wx.getDouble(f, s, 0, 0) * x.getDouble(b, s, h, w);
                        }
                        for (int g = 0; g < gateChannels; g++) {
                            joint += wg.getDouble(f, g, 0, 0) * x.getDouble(b, skipChannels + g, h, w);
                        }
                        logit += psi.getDouble(0, f, 0, 0) * Math.max(joint, 0);
                    }
                    double alpha = 1 / (1 + Math.exp(-logit));
                    for (int s = 0; s < skipChannels; s++) {
                        out.putScalar(new long[] {b, s, h, w}, x.getDouble(b, s, h, w) * alpha);
                    }
                }
            }
        }
        return out;
    }
}
