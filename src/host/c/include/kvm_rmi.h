/*
 * kvm_rmi.h: KVM's view of a realm VM (arch/arm64/include/asm/kvm_rmi.h and the parts of
 * struct kvm / struct kvm_vcpu realm code touches), and the entry points scenarios call.
 * Shared constants are enums and helpers are functions rather than macros (see rmi_smc.h).
 */

/* KVM's realm state machine (rmi-reference.md section 7.2). */
enum realm_state {
	REALM_STATE_NONE,	/* a realm VM, but no RD yet */
	REALM_STATE_NEW,	/* RD created, being populated */
	REALM_STATE_ACTIVE,	/* activated: RECs may run */
	REALM_STATE_DYING,	/* teardown in progress */
	REALM_STATE_DEAD,	/* destroyed, or failed activation */
};

/* KVM_CREATE_VM type: IPA size in bits [7:0], realm flag. */
enum {
	KVM_VM_TYPE_ARM_IPA_SIZE_MASK = 0xff,
	KVM_VM_TYPE_ARM_REALM = 1 << 8,
};

enum {
	KVM_MAX_VCPUS = 16,
	KVM_MAX_MEMSLOTS = 8,
	/* KVM_ARM_RMI_POPULATE flags */
	KVM_ARM_RMI_POPULATE_FLAGS_MEASURE = 1 << 0,
};

struct kvm_pgtable {
	u32 ia_bits;
	s32 start_level;
	phys_addr_t pgd_phys;
};

struct kvm_s2_mmu {
	u64 vtcr;			/* T0SZ in [5:0], SL0 in [7:6] */
	phys_addr_t pgd_phys;		/* the stage-2 PGD: the realm's starting-level RTTs */
	struct kvm_pgtable *pgt;	/* NULL: the PGD was leaked and must never be freed */
};

/* A guest RAM region (a memslot backed by guest_memfd). */
struct kvm_memory_slot {
	u64 base_gfn;
	u64 npages;
};

struct realm {
	enum realm_state state;
	void *rd;
	struct realm_params *params;	/* allocated with the VM, freed once the RD exists */
	unsigned int ia_bits;
	unsigned int vmid;		/* 1.0: host-chosen VMID */
	unsigned long num_aux;		/* 1.0: RMI_REC_AUX_COUNT */
};

struct realm_rec {
	unsigned long mpidr;
	void *rec_page;			/* NULL: no REC (or leaked) */
	void *aux_pages[16];		/* 1.0: the REC's auxiliary granules */
	struct rec_params *params;
	void *run;
};

struct kvm;

struct kvm_vcpu {
	struct kvm *kvm;
	unsigned int vcpu_id;
	unsigned long pc;		/* reset state */
	unsigned long x0;
	struct realm_rec rec;
};

struct kvm_arch {
	struct kvm_s2_mmu mmu;
	struct realm realm;
	void *arm_pmu;
	int nr_pmu_counters;
	bool is_realm;
};

struct kvm {
	struct kvm_arch arch;
	struct kvm_vcpu *vcpus[16];
	unsigned int created_vcpus;
	struct kvm_memory_slot memslots[8];
	unsigned int nr_memslots;
};

/* ---- helpers that are macros in the kernel ---- */
static inline unsigned int VTCR_EL2_IPA(u64 vtcr)
{
	return 64 - (vtcr & 0x3f);
}

static inline bool kvm_is_realm(struct kvm *kvm)
{
	return kvm->arch.is_realm;
}

static inline enum realm_state kvm_realm_state(struct kvm *kvm)
{
	return kvm->arch.realm.state;
}

static inline void kvm_set_realm_state(struct kvm *kvm, enum realm_state state)
{
	kvm->arch.realm.state = state;
}

static inline bool kvm_lpa2_is_enabled(void)
{
	return false;
}

/* ---- arch/arm64/kernel/rmi.c ---- */
int kvm_init_rmi(void);
bool rmi_is_1_0(void);
int rmi_delegate_page(phys_addr_t phys);
int rmi_undelegate_page(phys_addr_t phys);
int rmi_undelegate_range(phys_addr_t phys, unsigned long size);
int __rmi_delegate_range(phys_addr_t phys, unsigned long size, phys_addr_t *out_phys);
unsigned long rmi_sro_execute(unsigned long ret);
void rmi_free_delegated_page(phys_addr_t phys);

/* ---- arch/arm64/kvm/mmu.c ---- */
size_t kvm_pgtable_stage2_pgd_size(u64 vtcr);
int stage2_pgtable_levels(unsigned int ia_bits);
unsigned long rmi_rtt_level_mapsize(int level);
int kvm_init_stage2_mmu(struct kvm *kvm, unsigned int ia_bits);
void kvm_free_stage2_pgd(struct kvm_s2_mmu *mmu);
extern unsigned long kvm_leaked_pages;

/* ---- arch/arm64/kvm/rmi.c (RMM 2.0, the v14 series) ---- */
int kvm_init_realm(struct kvm *kvm);
int get_start_level(struct realm *realm);
int realm_ensure_created(struct kvm *kvm);
int realm_create_rtt_levels(struct realm *realm, unsigned long ipa, int level, int max_level);
int kvm_arm_rmi_populate(struct kvm *kvm, unsigned long base, unsigned long size, const void *src, u32 flags);
int kvm_activate_realm(struct kvm *kvm);
int realm_map_protected(struct kvm *kvm, unsigned long ipa, unsigned long map_size);
void kvm_realm_unmap_range(struct kvm *kvm, unsigned long start, unsigned long size);
void kvm_destroy_rec(struct kvm_vcpu *vcpu);
void kvm_destroy_realm(struct kvm *kvm);

/* ---- arch/arm64/kvm/rme.c (RMM 1.0) ---- */
int rme_populate_realm(struct kvm *kvm, unsigned long base, unsigned long size, const void *src, u32 flags);
int rme_activate_realm(struct kvm *kvm);
int rme_map_protected(struct kvm *kvm, unsigned long ipa, unsigned long map_size);
void rme_unmap_range(struct kvm *kvm, unsigned long start, unsigned long size);
void rme_destroy_rec(struct kvm_vcpu *vcpu);
void rme_destroy_realm(struct kvm *kvm);

/* ---- arch/arm64/kvm/arm.c: what a VMM does through ioctls ---- */
struct kvm *kvm_create_vm(unsigned long type);
int kvm_set_memory_region(struct kvm *kvm, unsigned long guest_phys_addr, unsigned long memory_size);
struct kvm_vcpu *kvm_vm_ioctl_create_vcpu(struct kvm *kvm, unsigned int id);
int kvm_realm_populate(struct kvm *kvm, unsigned long base, unsigned long size, const void *src, u32 flags);
int kvm_realm_activate(struct kvm *kvm);
int kvm_realm_fault(struct kvm *kvm, unsigned long ipa);
void kvm_destroy_vm(struct kvm *kvm);
