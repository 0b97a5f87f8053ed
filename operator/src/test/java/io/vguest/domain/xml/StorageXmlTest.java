package io.vguest.domain.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Volume and pool XML: written and read by the same records. */
class StorageXmlTest {

  @Test
  void aBlankVolumeIsThinQcow2OnlyWhenAskedFor() {
    assertEquals("""
        <volume>
          <name>a&amp;b</name>
          <allocation unit='bytes'>0</allocation>
          <capacity unit='bytes'>1024</capacity>
          <target>
            <format type='qcow2'/>
          </target>
        </volume>
        """, StorageVolume.blank("a&b", 1024, "qcow2").toXml());
    String raw = StorageVolume.blank("a", 1024, "raw").toXml();
    assertFalse(raw.contains("allocation"), raw);
    assertFalse(raw.contains("format"), raw);
  }

  @Test
  void volumesReadBackWhatTheyWrite() {
    for (StorageVolume v : List.of(StorageVolume.blank("a&b'<x>", 1024, "qcow2"), StorageVolume.blank("r", 1L << 40,
        "raw"))) {
      assertEquals(v, StorageVolume.parse(v.toXml()));
    }
  }

  @Test
  void readsLibvirtsVolumeDescription() {
    StorageVolume v = StorageVolume.parse("""
        <volume type='file'>
          <name>web-1-root.qcow2</name>
          <key>/var/lib/libvirt/images/web-1-root.qcow2</key>
          <capacity unit='bytes'>10737418240</capacity>
          <allocation unit='bytes'>196608</allocation>
          <target><path>/var/lib/libvirt/images/web-1-root.qcow2</path><format type='qcow2'/></target>
        </volume>
        """);
    assertEquals(new StorageVolume("web-1-root.qcow2", 196608L, 10737418240L, "qcow2"), v);
  }

  @Test
  void poolsAreFileBasedByType() {
    for (String type : List.of("dir", "fs", "netfs")) {
      assertTrue(new Pool(type, null).fileBased(), type);
      assertEquals("qcow2", new Pool(type, null).blankFormat(), type);
    }
    for (String type : List.of("logical", "disk", "iscsi", "rbd")) {
      assertEquals("raw", Pool.parse("<pool type='" + type + "'><name>p</name></pool>").blankFormat(), type);
    }
  }

  @Test
  void poolsReadBackWhatTheyWriteAndLibvirtsDescription() {
    Pool dir = new Pool("dir", "/var/lib/libvirt/images");
    assertEquals(dir, Pool.parse(dir.toXml()));
    assertEquals(dir, Pool.parse("""
        <pool type='dir'>
          <name>default</name>
          <uuid>0d9f1a5c-1111-2222-3333-444444444444</uuid>
          <capacity unit='bytes'>1</capacity>
          <target>
            <path>/var/lib/libvirt/images</path>
            <permissions><mode>0711</mode></permissions>
          </target>
        </pool>
        """));
    assertNull(Pool.parse("<pool type='logical'><name>vg</name><target><path> </path></target></pool>")
        .targetPath());
  }
}
