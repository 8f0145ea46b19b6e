/** The U-Net's configuration: immutable, validated records and the variants they choose between. */
package io.github.mdunet.core.config;
