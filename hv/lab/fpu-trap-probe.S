/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fpu-trap-probe.S: a multiboot kernel of a few instructions that tells whether
 * this QEMU raises #NM (device not available) under CR0.TS for SSE, AVX (VEX),
 * FXSAVE, XSAVE, XSAVEOPT, XRSTOR and an MMX/SSE conversion. Xen's lazy FPU
 * switching relies on those traps; hv/lab/lab.sh runs this before booting Xen
 * and records the answer (hv/lab/NOTES.md, "FPU/SIMD state under emulation").
 * One line per instruction on COM1, then out to isa-debug-exit. */
	.text
	.align 4
	.long 0x1BADB002, 0x00000000, -(0x1BADB002)
	.text
	.code32
	.globl _start
_start:
	cli
	lgdt gdtr
	ljmp $0x08, $1f
1:	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov $stack_top, %esp
	/* IDT entry 7 -> nm_handler */
	mov $nm_handler, %eax
	mov %ax, idt+7*8
	movw $0x08, idt+7*8+2
	movw $0x8e00, idt+7*8+4
	shr $16, %eax
	mov %ax, idt+7*8+6
	lidt idtr
	/* CR4: OSFXSR (9), OSXMMEXCPT (10), OSXSAVE (18) */
	mov %cr4, %eax
	or $((1<<9)|(1<<10)|(1<<18)), %eax
	mov %eax, %cr4
	/* CR0: clear EM (2), set MP (1) */
	mov %cr0, %eax
	and $~4, %eax
	or $2, %eax
	mov %eax, %cr0
	xor %ecx, %ecx
	mov $7, %eax
	xor %edx, %edx
	xsetbv
	/* prime a valid xsave image with TS clear */
	mov $7, %eax
	xor %edx, %edx
	xsave buf

#define COMMA ,
#define TEST(name, insn) \
	movl $0, nm_hits; \
	mov %cr0, %eax; or $8, %eax; mov %eax, %cr0; \
	mov $7, %eax; xor %edx, %edx; \
	insn; \
	mov $name, %esi; call report

	TEST(s_sse, addps %xmm1 COMMA %xmm0)
	TEST(s_vex, vaddps %ymm1 COMMA %ymm0 COMMA %ymm0)
	TEST(s_fx, fxsave fxbuf)
	TEST(s_xsave, xsave buf)
	TEST(s_xsaveopt, xsaveopt buf)
	TEST(s_xrstor, xrstor buf)
	TEST(s_cvt, cvtpi2ps %mm0 COMMA %xmm0)
	mov $s_done, %esi
	call puts
	mov $0xf4, %dx
	mov $0, %al
	out %al, %dx
	hlt

report:	/* esi = name; prints "name: #NM" or "name: NO #NM" */
	call puts
	cmpl $0, nm_hits
	jne 1f
	mov $s_no, %esi
	jmp puts
1:	mov $s_yes, %esi
	jmp puts

puts:	lodsb
	test %al, %al
	jz 2f
	mov $0x3f8, %dx
	out %al, %dx
	jmp puts
2:	ret

nm_handler:
	push %eax
	incl nm_hits
	clts
	pop %eax
	iret

	.data
	.align 8
gdt:	.quad 0
	.quad 0x00cf9a000000ffff
	.quad 0x00cf92000000ffff
gdtr:	.word 23
	.long gdt
	.align 8
idt:	.fill 32, 8, 0
idtr:	.word 32*8-1
	.long idt
nm_hits: .long 0
s_sse:	.asciz "addps (SSE):        "
s_vex:	.asciz "vaddps ymm (VEX):   "
s_fx:	.asciz "fxsave:             "
s_xsave: .asciz "xsave:              "
s_xsaveopt: .asciz "xsaveopt:           "
s_xrstor: .asciz "xrstor:             "
s_cvt:	.asciz "cvtpi2ps (SSE/MMX): "
s_yes:	.asciz "#NM raised\n"
s_no:	.asciz "NO #NM (executed with CR0.TS=1)\n"
s_done:	.asciz "done\n"
	.bss
	.align 64
buf:	.space 4096
	.align 16
fxbuf:	.space 512
	.space 4096
stack_top:
