/*
 * secureboot.c — is UEFI Secure Boot on (loader.h)? The firmware says so
 * in the global variable SecureBoot (UEFI spec 2.10, section 3.3): one
 * byte, 1 when the platform is in user or deployed mode and verifies every
 * image it starts against db and dbx, 0 or absent otherwise. Called by
 * main.c before it decides where the kernel and the command line may come
 * from (docs/secure-boot.md).
 */
#include "loader.h"

bool secureboot_on(void)
{
	EFI_GUID global = EFI_GLOBAL_VARIABLE;
	UINT8 on = 0;
	UINTN size = sizeof(on);
	EFI_STATUS st;

	st = uefi_call_wrapper(RT->GetVariable, 5, L"SecureBoot", &global, NULL, &size, &on);
	return !EFI_ERROR(st) && size == sizeof(on) && on == 1;
}
