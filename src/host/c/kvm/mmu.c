/*
 * kvm/mmu.c: the stage-2 page table KVM allocates for every VM (arch/arm64/kvm/mmu.c,
 * hyp/pgtable.c). For a realm, its PGD, the concatenated starting-level tables, becomes the
 * realm's root RTTs: realm_create_rd delegates it and REALM_CREATE takes it as rtt_base.
 */

/* Pages the host gave up on because the realm world would not give them back. */
unsigned long kvm_leaked_pages;

/* Levels of a stage-2 table for an IPA size, with up to 16 concatenated starting tables. */
int stage2_pgtable_levels(unsigned int ia_bits)
{
	return (ia_bits - 8) / (PAGE_SHIFT - 3);
}

/* Bytes mapped by one entry of a table at `level`. */
unsigned long rmi_rtt_level_mapsize(int level)
{
	return 1UL << ((3 - level) * (PAGE_SHIFT - 3) + PAGE_SHIFT);
}

size_t kvm_pgtable_stage2_pgd_size(u64 vtcr)
{
	unsigned int ia_bits = VTCR_EL2_IPA(vtcr);
	int start_level = 4 - stage2_pgtable_levels(ia_bits);
	unsigned long entries = 1UL << (ia_bits - (3 - start_level) * (PAGE_SHIFT - 3) - PAGE_SHIFT);
	size_t size = entries * sizeof(u64);

	return size < PAGE_SIZE ? PAGE_SIZE : size;
}

/*
 * `n` physically contiguous zeroed pages aligned to n pages, like alloc_pages_exact(): the
 * Realm Lab allocator hands out single pages (downwards), so take pages until the newest n
 * form an aligned run, then give the others back.
 */
static void *alloc_pages_exact_aligned(unsigned long n)
{
	unsigned long pages[64];
	unsigned long count = 0, run = 0, i, low = 0;

	while (count < ARRAY_SIZE(pages)) {
		unsigned long page = get_zeroed_page(GFP_KERNEL_ACCOUNT);

		if (!page)
			break;
		run = count && page == pages[count - 1] - PAGE_SIZE ? run + 1 : 1;
		pages[count++] = page;
		if (run >= n && page % (n * PAGE_SIZE) == 0) {
			low = page;
			break;
		}
	}
	for (i = 0; i < count; i++)
		if (!low || pages[i] < low || pages[i] >= low + n * PAGE_SIZE)
			free_page(pages[i]);
	return (void *)low;
}

/* kvm_init_stage2_mmu: VTCR for the IPA size, and the PGD. */
int kvm_init_stage2_mmu(struct kvm *kvm, unsigned int ia_bits)
{
	struct kvm_s2_mmu *mmu = &kvm->arch.mmu;
	struct kvm_pgtable *pgt;
	size_t pgd_size;
	void *pgd;
	int sl0;

	if (ia_bits < 32 || ia_bits > 48)
		return -EINVAL;
	/* SL0 encodes the starting level: 0 = level 2, 1 = level 1, 2 = level 0 (4 KB granule). */
	sl0 = 2 - (4 - stage2_pgtable_levels(ia_bits));
	mmu->vtcr = (64 - ia_bits) | (sl0 << 6);
	pgd_size = kvm_pgtable_stage2_pgd_size(mmu->vtcr);

	pgt = kzalloc(sizeof(*pgt), GFP_KERNEL_ACCOUNT);
	if (!pgt)
		return -ENOMEM;
	pgd = alloc_pages_exact_aligned(pgd_size / PAGE_SIZE);
	if (!pgd) {
		kfree(pgt);
		return -ENOMEM;
	}
	pgt->ia_bits = ia_bits;
	pgt->start_level = 4 - stage2_pgtable_levels(ia_bits);
	pgt->pgd_phys = virt_to_phys(pgd);
	mmu->pgt = pgt;
	mmu->pgd_phys = pgt->pgd_phys;
	return 0;
}

/*
 * kvm_free_stage2_pgd: give the PGD pages back. When an error path set pgt = NULL the PGD
 * may still (partly) belong to the realm world, so it is never freed: the pages are leaked
 * on purpose, and Realm Lab counts them (kvm_leaked_pages) and says so.
 */
void kvm_free_stage2_pgd(struct kvm_s2_mmu *mmu)
{
	size_t pgd_size = kvm_pgtable_stage2_pgd_size(mmu->vtcr);
	unsigned long i;

	if (!mmu->pgd_phys)
		return;
	if (!mmu->pgt) {
		kvm_leaked_pages += pgd_size / PAGE_SIZE;
		pr_warn("kvm: stage-2 PGD at %pa leaked: %lu pages never return to the host\n",
			&mmu->pgd_phys, pgd_size / PAGE_SIZE);
		mmu->pgd_phys = 0;
		return;
	}
	for (i = 0; i < pgd_size / PAGE_SIZE; i++)
		free_page((unsigned long)phys_to_virt(mmu->pgd_phys + i * PAGE_SIZE));
	kfree(mmu->pgt);
	mmu->pgt = NULL;
	mmu->pgd_phys = 0;
}
