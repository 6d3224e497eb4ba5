# SPDX-License-Identifier: MIT
# ci/test-windows.ps1 - the MSVC job of .github/workflows/ci.yml (not run by
# ci/test): CMocka from vcpkg (x64-windows), the Visual Studio generator,
# -DSOCKIT_WERROR=ON (/W4 /WX), a Debug build, then ctest.
# Usage: ./ci/test-windows.ps1   (needs VCPKG_INSTALLATION_ROOT, as GitHub's
# Windows images set it; build dir: build/msvc)
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..')
$build = 'build/msvc'
$toolchain = "$env:VCPKG_INSTALLATION_ROOT/scripts/buildsystems/vcpkg.cmake"
# Fewer soak connections: Windows keeps closed ports in TIME_WAIT.
if (-not $env:SOCKIT_SOAK_CYCLES) { $env:SOCKIT_SOAK_CYCLES = '5000' }

# Run a native command; stop on a non-zero exit status.
function Invoke-Checked {
    $cmd = $args[0]
    $rest = @($args | Select-Object -Skip 1)
    Write-Host "==> $args"
    & $cmd @rest
    if ($LASTEXITCODE -ne 0) { throw "exit ${LASTEXITCODE}: $args" }
}

# Arguments starting with '-' are quoted: PowerShell would otherwise parse
# them as its own parameter tokens before passing them on.
Invoke-Checked "$env:VCPKG_INSTALLATION_ROOT/vcpkg" install cmocka:x64-windows
Invoke-Checked cmake '-S' . '-B' $build '-G' 'Visual Studio 17 2022' '-A' x64 `
    '-DSOCKIT_WERROR=ON' "-DCMAKE_TOOLCHAIN_FILE=$toolchain" '-DVCPKG_TARGET_TRIPLET=x64-windows'
Invoke-Checked cmake '--build' $build '--config' Debug '--parallel'
Invoke-Checked ctest '--test-dir' $build '-C' Debug '--output-on-failure' '--no-tests=error' `
    '--timeout' 300
