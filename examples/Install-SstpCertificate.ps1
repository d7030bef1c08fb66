#Requires -Version 5.1
#Requires -RunAsAdministrator
#Requires -Modules RemoteAccess

<#
.SYNOPSIS
Installs a PFX made by "mkcsr pfx" as the SSTP certificate of this RRAS server.

.DESCRIPTION
The Windows half of a certificate renewal for Always On VPN (RRAS SSTP):

  1. imports the PFX into the computer's Personal store (Cert:\LocalMachine\My)
     with Import-PfxCertificate; the key stays non-exportable unless
     -Exportable is given;
  2. binds the certificate to SSTP with Set-RemoteAccess -SslCertificate;
  3. restarts the RemoteAccess service, so that SSTP listens with it;
  4. confirms the binding: the thumbprint of (Get-RemoteAccess).SslCertificate
     must be the imported certificate's, and RemoteAccess must be running.

The certificate used before stays in the store: remove it in certlm.msc
once clients connect with the new one.

The script stops at the first step that fails and exits with that step's code:
  0  installed and confirmed
  2  the PFX file cannot be found
  3  Import-PfxCertificate failed (a wrong password, a damaged file), or the
     PFX holds no certificate with a private key, or more than one
  4  Get-RemoteAccess or Set-RemoteAccess failed, or the binding read back
     is another certificate
  5  RemoteAccess did not restart, or is not running afterwards

Run it in an elevated PowerShell (Run as Administrator) on the RRAS server.
Windows PowerShell 5.1 and the RemoteAccess module (installed with the Remote
Access role) are required.

.PARAMETER PfxPath
The PFX file to install, as written by "mkcsr pfx" (for example
.\vpn.example.com.pfx).

.PARAMETER Password
The PFX password, as a SecureString. When it is not given, the script asks
for it (the password is in the .pfx.pass file that "mkcsr pfx --pass
generate:FILE" wrote, or wherever the PFX's password was kept).

.PARAMETER Exportable
Import the private key as exportable. By default it is not: the key can
then never leave this server, which is what most admins want.

.EXAMPLE
.\Install-SstpCertificate.ps1 -PfxPath .\vpn.example.com.pfx

Asks for the PFX password, imports vpn.example.com.pfx into LocalMachine\My,
binds it to SSTP, restarts RemoteAccess and confirms the new binding.

.EXAMPLE
$password = Read-Host -AsSecureString -Prompt 'PFX password'
.\Install-SstpCertificate.ps1 -PfxPath C:\Install\vpn.example.com.pfx -Password $password -Exportable

The password is asked for first (for example to install on several servers
from one session), and the key is imported as exportable.

.LINK
https://learn.microsoft.com/powershell/module/pki/import-pfxcertificate

.LINK
https://learn.microsoft.com/powershell/module/remoteaccess/set-remoteaccess
#>

[CmdletBinding()]
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [string] $PfxPath,

    [Parameter()]
    [securestring] $Password,

    [Parameter()]
    [switch] $Exportable
)

$ErrorActionPreference = 'Stop'

# Prints the reason on the error stream and ends the script with Code.
function Stop-Installation {
    param(
        [Parameter(Mandatory = $true)] [int] $Code,
        [Parameter(Mandatory = $true)] [string] $Message
    )
    $Host.UI.WriteErrorLine("Install-SstpCertificate: $Message")
    exit $Code
}

# 1. The PFX file and its password.
try {
    $pfxFile = (Resolve-Path -LiteralPath $PfxPath).ProviderPath
}
catch {
    Stop-Installation -Code 2 -Message "cannot find the PFX file '$PfxPath': $($_.Exception.Message)"
}
if ($null -eq $Password) {
    $Password = Read-Host -Prompt "Password of $pfxFile" -AsSecureString
}

# 2. Import into the computer's Personal store.
Write-Host "Importing $pfxFile into Cert:\LocalMachine\My"
try {
    $imported = @(Import-PfxCertificate -FilePath $pfxFile -CertStoreLocation 'Cert:\LocalMachine\My' `
            -Password $Password -Exportable:$Exportable.IsPresent)
}
catch {
    Stop-Installation -Code 3 -Message "Import-PfxCertificate failed (a wrong password says so here): $($_.Exception.Message)"
}
$withKey = @($imported | Where-Object -FilterScript { $_.HasPrivateKey })
if ($withKey.Count -ne 1) {
    Stop-Installation -Code 3 -Message "the PFX holds $($withKey.Count) certificates with a private key; expected exactly one"
}
$thumbprint = $withKey[0].Thumbprint
try {
    $cert = Get-Item -LiteralPath "Cert:\LocalMachine\My\$thumbprint"
}
catch {
    Stop-Installation -Code 3 -Message "the imported certificate $thumbprint is not in Cert:\LocalMachine\My: $($_.Exception.Message)"
}
Write-Host "Imported $($cert.Subject), thumbprint $thumbprint, valid until $($cert.NotAfter)"

# 3. Bind it to SSTP.
try {
    $previous = (Get-RemoteAccess).SslCertificate
}
catch {
    Stop-Installation -Code 4 -Message "Get-RemoteAccess failed (is Remote Access configured for VPN?): $($_.Exception.Message)"
}
if ($null -ne $previous) {
    Write-Host "SSTP uses now: $($previous.Subject), thumbprint $($previous.Thumbprint)"
}
try {
    Set-RemoteAccess -SslCertificate $cert
}
catch {
    Stop-Installation -Code 4 -Message "Set-RemoteAccess -SslCertificate failed: $($_.Exception.Message)"
}

# 4. Restart RemoteAccess so that SSTP listens with the new certificate.
Write-Host 'Restarting the RemoteAccess service'
try {
    Restart-Service -Name RemoteAccess
}
catch {
    Stop-Installation -Code 5 -Message "Restart-Service RemoteAccess failed: $($_.Exception.Message)"
}

# 5. Confirm: the binding read back is the imported certificate, and the service runs.
try {
    $bound = (Get-RemoteAccess).SslCertificate
}
catch {
    Stop-Installation -Code 4 -Message "Get-RemoteAccess failed after the change: $($_.Exception.Message)"
}
if ($null -eq $bound) {
    Stop-Installation -Code 4 -Message 'Get-RemoteAccess shows no SSTP certificate after Set-RemoteAccess'
}
if ($bound.Thumbprint -ne $thumbprint) {
    Stop-Installation -Code 4 -Message "SSTP is bound to $($bound.Thumbprint), not to the imported $thumbprint"
}
$service = Get-Service -Name RemoteAccess
if ($service.Status -ne 'Running') {
    Stop-Installation -Code 5 -Message "the RemoteAccess service is $($service.Status) after the restart"
}
Write-Host "SSTP now uses $($cert.Subject), thumbprint $thumbprint; RemoteAccess is running."
exit 0
