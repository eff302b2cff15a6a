# Every domain paused and the script ends: nothing can unpause, the run
# ends with status 8 and one line saying why.
pause 1
continue
