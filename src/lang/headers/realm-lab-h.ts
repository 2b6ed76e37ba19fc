// realm_lab.h: the prelude every scenario and host file sees (included automatically, and
// harmless to #include again). Kernel-style types and helpers, the RMI constants (generated from
// the emulator's own tables, so the two cannot drift apart), the machine declaration and the
// intrinsics the runtime implements natively.
import { Fid, GranuleState, RMI_RTT_DATA_MAP_INIT, Status } from '../../rmm';

const hex = (n: number) => `0x${n.toString(16).toUpperCase()}`;

const fids = Object.entries(Fid).map(([k, v]) => `#define ${k.padEnd(32)} ${hex(v)}UL`).join('\n');
const statuses = Object.entries(Status).map(([k, v]) => `#define ${k.padEnd(32)} ${v}`).join('\n');
const states = Object.entries(GranuleState).map(([k, v]) => `\tRMI_GRANULE_${k} = ${v},`).join('\n');

export const REALM_LAB_H = `/* realm_lab.h: Realm Lab's prelude (embedded; included in every unit). */
#ifndef REALM_LAB_H
#define REALM_LAB_H
#define __REALM_LAB__ 1

/* ---- kernel types ---- */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned long uintptr_t;
typedef long intptr_t;
typedef long ptrdiff_t;
typedef u8 uint8_t;
typedef u16 uint16_t;
typedef u32 uint32_t;
typedef u64 uint64_t;
typedef s8 int8_t;
typedef s16 int16_t;
typedef s32 int32_t;
typedef s64 int64_t;
typedef u64 phys_addr_t;
typedef unsigned int gfp_t;

#define NULL ((void *)0)
#define __init
#define __exit
#define __maybe_unused
#define __always_inline inline
#define noinline
#define likely(x) (x)
#define unlikely(x) (x)
#define READ_ONCE(x) (x)
#define WRITE_ONCE(x, val) ((x) = (val))

#define SZ_4K 0x00001000UL
#define SZ_64K 0x00010000UL
#define SZ_1M 0x00100000UL
#define SZ_2M 0x00200000UL
#define SZ_16M 0x01000000UL
#define SZ_256M 0x10000000UL
#define SZ_512M 0x20000000UL
#define SZ_1G 0x40000000UL
#define SZ_2G 0x80000000UL
#define SZ_4G 0x100000000UL

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define GENMASK(h, l) ((~0UL << (l)) & (~0UL >> (63 - (h))))
#define ALIGN(x, a) (((x) + ((a) - 1)) & ~((a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((a) - 1)) == 0)
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))

#define GFP_KERNEL 0x0u
#define GFP_KERNEL_ACCOUNT 0x0u
#define __GFP_ZERO 0x100u

#define EPERM 1
#define ENOENT 2
#define EIO 5
#define ENXIO 6
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EINVAL 22
#define ENOSPC 28

/* ---- RMI: function identifiers, status codes, granule states ---- */
${fids}
#define RMI_RTT_DATA_MAP_INIT            ${hex(RMI_RTT_DATA_MAP_INIT)}UL

${statuses}
#define RMI_RETURN_STATUS(ret) ((ret) & 0xff)
#define RMI_RETURN_INDEX(ret) (((ret) >> 8) & 0xff)

enum rmi_granule_state {
${states}
};

/* X0..X4 of the last rmi_call(). */
struct rmi_result {
	unsigned long x0;
	unsigned long x1;
	unsigned long x2;
	unsigned long x3;
	unsigned long x4;
};
extern struct rmi_result rmi_last;

/* An SMC into the RMM: X0 = fid, X1.. = the arguments. Returns X0; X1..X4 are in rmi_last. */
unsigned long rmi_call(unsigned long fid, ...);

/* ---- the machine a scenario runs on ---- */
struct realm_lab_machine {
	const char *profile;		/* RMM ABI: "1.0" or "2.0" */
	const char *host;		/* host code variant: "v14" or "fixed" */
	unsigned long dram_base;	/* DRAM start (PA) */
	unsigned long dram_size;	/* DRAM size in bytes */
};

/* ---- expectations and fault injection ---- */
void expect(bool cond);
void expect_granule(phys_addr_t pa, enum rmi_granule_state state);
void expect_no_leaks(void);
/* The nth next call of command (1 = the next one) returns status. */
void fault_inject(const char *command, int nth, int status);
/* A range command fails after processing granules more granules. */
void fault_inject_after(const char *command, unsigned long granules, int status);
/* The next call of command that touches the granule at pa fails. */
void fault_inject_granule(const char *command, phys_addr_t pa, int status);

/* ---- host kernel services ---- */
int printk(const char *fmt, ...);
#define KERN_EMERG ""
#define KERN_ALERT ""
#define KERN_CRIT ""
#define KERN_ERR ""
#define KERN_WARNING ""
#define KERN_NOTICE ""
#define KERN_INFO ""
#define KERN_DEBUG ""
#define pr_err(fmt, ...) printk(fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(fmt, ##__VA_ARGS__)
int WARN_ON(bool cond);
#define WARN_ON_ONCE(cond) WARN_ON(cond)
void BUG_ON(bool cond);
#define BUG() BUG_ON(1)

struct page;
unsigned long __get_free_page(gfp_t gfp);
unsigned long get_zeroed_page(gfp_t gfp);
void free_page(unsigned long addr);
struct page *alloc_page(gfp_t gfp);
void __free_page(struct page *page);
void *page_address(struct page *page);
phys_addr_t page_to_phys(struct page *page);
void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void kfree(const void *ptr);
phys_addr_t virt_to_phys(const void *addr);
void *phys_to_virt(phys_addr_t pa);
#define __pa(x) virt_to_phys((const void *)(x))
#define __va(x) phys_to_virt((phys_addr_t)(x))

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif /* REALM_LAB_H */
`;

/** Embedded headers by name, as #include finds them. */
export const EMBEDDED_HEADERS: Record<string, string> = {
  'realm_lab.h': REALM_LAB_H,
};
