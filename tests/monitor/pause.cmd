# xl pause / unpause of the only domain: the pause count, info domains
# and info vcpus while paused, Xen's -EINVAL for an unpause too many and
# an unknown domain; the run then goes on to its end.
pause 1
info domains
info vcpus
pause 1
unpause 1
info vcpus
unpause 1
unpause 1
pause 9
pause
info vcpus
continue
