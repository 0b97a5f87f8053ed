package io.vguest.guest;

import io.vguest.api.v1alpha1.Patterns;
import io.vguest.api.v1alpha1.VolumeSource;

/**
 * Checks the volumes a guest attaches (disk sources, the rescue disk, kernel and initrd): a pool
 * this node allows the guest's namespace, and a volume name that stays inside it.
 */
final class VolumeValidator {

  static final String VOLUME_NAME_RULE =
      "a volume name inside the pool: letters, digits, '_', '.', '+', '-', no '/' and no leading '.'";

  /** The pools granted per namespace, or null to leave pools unchecked. */
  private final PoolGrants pools;

  VolumeValidator(PoolGrants pools) {
    this.pools = pools;
  }

  /** A pool volume: an allowed pool and a name that stays inside it. */
  void volume(FieldCheck c, String at, VolumeSource volume) {
    pool(c, at + ".pool", volume.pool);
    c.required(at + ".name", volume.name);
    c.name(at + ".name", volume.name, FieldCheck.POOL_OBJECT_NAME, Patterns.POOL_OBJECT_NAME_MAX, VOLUME_NAME_RULE);
    owned(c, at + ".name", volume.name);
  }

  /** A volume vguest created for a guest of another namespace is never attached, whatever the pool allows. */
  void owned(FieldCheck c, String field, String volume) {
    if (pools != null) {
      PoolGrants.ownerRefusal(c.namespace, volume).ifPresent(why -> c.add(field, "Forbidden: " + why));
    }
  }

  void pool(FieldCheck c, String field, String pool) {
    c.required(field, pool);
    boolean wellFormed = c.name(field, pool, FieldCheck.POOL_OBJECT_NAME, Patterns.POOL_OBJECT_NAME_MAX,
        "a pool name: letters, digits, '_', '.', '+', '-', no '/' and no leading '.'");
    if (pool != null && wellFormed && pools != null) {
      pools.refusal(c.namespace, pool).ifPresent(why -> c.invalid(field, pool, why));
    }
  }
}
